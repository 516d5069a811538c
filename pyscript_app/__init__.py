"""The Backprop Playground app: Panel + Bokeh views of an nn_core network, run by Pyodide."""
