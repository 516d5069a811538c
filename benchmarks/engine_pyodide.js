// A benchmark script (benchmarks/engine.py unless another is named) inside Pyodide under Node,
// with the built site's own runtime and wheels:
//     python3 build.py build && node benchmarks/engine_pyodide.js [custom_code.py]
const fs = require("fs");
const path = require("path");

const script = process.argv[2] || "engine.py";
const site = path.join(__dirname, "..", "site", "_build", "pyodide") + path.sep;
const { loadPyodide } = require(site + "pyodide.js");

(async () => {
  const pyodide = await loadPyodide({ indexURL: site });
  await pyodide.loadPackage(["numpy", "backprop-playground"], { messageCallback: () => {} });
  pyodide.FS.writeFile("/tmp/benchmark.py", fs.readFileSync(path.join(__dirname, script), "utf8"));
  pyodide.setStdout({ batched: (line) => console.log(line) });
  await pyodide.runPythonAsync(`
import runpy, sys
sys.argv = ["benchmark.py", "--repeats", "3"]
runpy.run_path("/tmp/benchmark.py", run_name="__main__")
`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
