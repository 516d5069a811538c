// A benchmark script (benchmarks/engine.py unless another is named) inside Pyodide under Node,
// with the built site's own runtime and wheels:
//     python3 build.py build && node benchmarks/engine_pyodide.js [custom_code.py]
// For engine.py, TF Playground's engine (tf_playground/epochs.js) is timed here too, in this
// Node, on the same problems, and the ratio printed.
const fs = require("fs");
const path = require("path");

const script = process.argv[2] || "engine.py";
const repeats = 3;
const site = path.join(__dirname, "..", "site", "_build", "pyodide") + path.sep;
const { loadPyodide } = require(site + "pyodide.js");

(async () => {
  const pyodide = await loadPyodide({ indexURL: site });
  await pyodide.loadPackage(["numpy", "backprop-playground"], { messageCallback: () => {} });
  pyodide.FS.writeFile("/tmp/benchmark.py", fs.readFileSync(path.join(__dirname, script), "utf8"));
  pyodide.setStdout({ batched: (line) => console.log(line) });
  if (script !== "engine.py") {
    await pyodide.runPythonAsync(`
import runpy, sys
sys.argv = ["benchmark.py", "--repeats", "${repeats}"]
runpy.run_path("/tmp/benchmark.py", run_name="__main__")
`);
    return;
  }
  const engine = pyodide.runPython(`
import runpy, platform
engine = runpy.run_path("/tmp/benchmark.py", run_name="engine")
print(f"Pyodide {platform.python_version()}; median of ${repeats} runs")
engine
`);
  const ours = engine.get("measure")(repeats);
  const request = JSON.parse(pyodide.runPython("import json; json.dumps(engine['tf_request'](1))"));
  const { timeProblems } = require(path.join(__dirname, "tf_playground", "epochs.js"));
  const theirs = pyodide.toPy(timeProblems(request.problems, repeats));
  engine.get("report")(ours, theirs);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
