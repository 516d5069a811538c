// Precompile Python wheels to Pyodide's bytecode, with Pyodide itself (build step, run by build.py).
//   node precompile.js PYODIDE_DIR IN_DIR OUT_DIR precompile.py [--keep-source]
const fs = require("fs");
const path = require("path");

const [core, inDir, outDir, script] = process.argv.slice(2, 6).map((p) => path.resolve(p));
const keepSource = process.argv[6] === "--keep-source";
const { loadPyodide } = require(path.join(core, "pyodide.js"));

(async () => {
  const pyodide = await loadPyodide({ indexURL: core + path.sep });
  for (const [folder, mountPoint] of [[inDir, "/in"], [outDir, "/out"]]) {
    pyodide.FS.mkdirTree(mountPoint);
    pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, mountPoint);
  }
  pyodide.globals.set("KEEP_SOURCE", keepSource);
  pyodide.runPython(fs.readFileSync(script, "utf8"));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
