// The Web Worker that runs Python: Pyodide, then NumPy, Panel and the app, stage by stage.
// It tells the page how far it is ({type: "progress"}), then renders the app and keeps the
// page's Bokeh document and Python's in sync ("patch" messages both ways).
importScripts("./pyodide/pyodide.js");

const PACKAGES = /*PACKAGES*/[];
const started = performance.now();
// The page shows these names in order, each as it starts ("progress"), then "Ready".
const STAGES = ["Python runtime", "Packages", "Importing", "Building the app", "Drawing the app"];
self.postMessage({ type: "stages", names: STAGES });
// The page's script sets its message handlers after the worker has started: keep the rendered
// app until it says so.
let pageIsReady;
const pageReady = new Promise((resolve) => (pageIsReady = resolve));

function progress(stage, detail) {
  self.postMessage({ type: "progress", stage, detail, ms: Math.round(performance.now() - started) });
}

// Changes sent to the page, and how many of them it has drawn. While the page has not drawn the
// frame before the last one sent, the play loop trains on without redrawing
// (pyscript_app.runtime.page_is_behind): one frame can be on its way while the next is made, but
// no queue of frames builds up for a click's answer to wait behind.
let patchesSent = 0;
let patchesDrawn = 0;
const frameEnds = [0, 0]; // patchesSent after each of the last two frames
self.frameSent = () => {
  frameEnds.shift();
  frameEnds.push(patchesSent);
};
self.pageIsBehind = () => patchesDrawn < frameEnds[0];

function sendPatch(patch, buffers) {
  patchesSent += 1;
  self.postMessage({ type: "patch", patch, buffers });
}

// The page's address reaches Python before the app is built (the worker's own address
// carries the page's query), so a link's settings and ?embed=1 shape the first render.
const APP = `
import json
from panel.io.pyodide import init_doc, write_doc
from panel.io.state import state
from panel.util import edit_readonly
init_doc()
with edit_readonly(state.location):
    state.location.param.update(search=page_search)
import pyscript_app.main
await write_doc()
`;

async function startApplication() {
  progress("Python runtime", "loading Pyodide");
  self.pyodide = await loadPyodide({ indexURL: "./pyodide/" });
  self.pyodide.globals.set("sendPatch", sendPatch);
  self.pyodide.globals.set("page_search", self.location.search);
  progress("Packages", "NumPy, Panel, Bokeh and the app");
  // loadPackage reports a failed download or a wrong sha256 here, then carries on: stop instead.
  const failures = [];
  await self.pyodide.loadPackage(PACKAGES, { messageCallback: () => {}, errorCallback: (m) => failures.push(m) });
  if (failures.length) throw new Error(`Could not load ${PACKAGES.join(", ")}: ${failures.join(" ")}`);
  progress("Importing", "import numpy, bokeh, panel");
  const importMs = self.pyodide.runPython(`
import time
_start = time.perf_counter()
import numpy, bokeh, panel
round((time.perf_counter() - _start) * 1000)
`);
  self.postMessage({ type: "timing", name: "import numpy, bokeh, panel", ms: importMs });
  progress("Building the app", "its network, controls and charts");
  const [docs_json, render_items, root_ids] = await self.pyodide.runPythonAsync(APP);
  await pageReady;
  progress("Drawing the app", "in the page");
  self.postMessage({ type: "render", docs_json, render_items, root_ids });
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "page-ready") {
    pageIsReady();
  } else if (msg.type === "rendered") {
    self.pyodide.runPython(`
from panel.io.state import state
from panel.io.pyodide import _link_docs_worker
_link_docs_worker(state.curdoc, sendPatch, setter="js")
# The page has loaded the document. Panel's hold() flushes held changes only on a loaded
# document and drops them otherwise, so without this a layout's new children never arrive.
state._on_load(state.curdoc)
`);
    progress("Ready", "");  // the page and Python are linked: clicks now get answers
    // Then what the app left until now (the tab open under the playground), after any message
    // that came with this one.
    setTimeout(() => {
      self.pyodide.runPython("from pyscript_app.runtime import page_linked\npage_linked()");
      self.postMessage({ type: "timing", name: "settled", ms: Math.round(performance.now() - started) });
    });
  } else if (msg.type === "drawn") {
    patchesDrawn += msg.count;
  } else if (msg.type === "patch") {
    // Applied synchronously: two patches arriving back to back must both land, once each.
    self.pyodide.globals.set("patch", msg.patch);
    self.pyodide.runPython(`
from panel.io.pyodide import _convert_json_patch
state.curdoc.apply_json_patch(_convert_json_patch(patch), setter="js")
`);
    self.postMessage({ type: "idle" });
  } else if (msg.type === "location") {
    self.pyodide.globals.set("location", msg.location);
    self.pyodide.runPython(`
import json
from panel.io.state import state
from panel.util import edit_readonly
if state.location:
    with edit_readonly(state.location):
        state.location.param.update({k: v for k, v in json.loads(location).items() if k in state.location.param})
`);
  }
};

startApplication().catch((error) => {
  const lines = `${error}`.trim().split("\n");
  self.postMessage({ type: "failed", msg: lines[lines.length - 1] });
  throw error;
});
