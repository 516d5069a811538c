// TF Playground's engine timed per epoch on given problems. nn.ts beside this file is src/nn.ts of
// github.com/tensorflow/playground at 02469bd (2022-06-06), unchanged, under its Apache-2.0
// licence (LICENSE beside it). An epoch is what TF Playground's oneStep() does, less the test
// loss and the drawing: every training point forward and back, the weights updated after every
// batchSize points, then the training loss over all points (getLoss).
//
//     npm install --prefix benchmarks/tf_playground --no-save typescript@5   (once; node_modules is git-ignored;
//     TypeScript 7, the newest on npm, no longer offers transpileModule to JavaScript)
//     node benchmarks/tf_playground/epochs.js < problems.json
//
// problems.json is a list of {name, shape, activation, outputActivation, batchSize,
// learningRate, epochs, inputs: [[...], ...], labels: [...]}; it prints one line of JSON,
// the median microseconds per epoch of each problem in order. benchmarks/engine.py writes
// the problems (its own three) and reads the answer.
const fs = require("fs");
const path = require("path");

function loadEngine() {
  const ts = require(path.join(__dirname, "node_modules", "typescript"));
  const source = fs.readFileSync(path.join(__dirname, "nn.ts"), "utf8");
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2017 },
  }).outputText;
  const module = { exports: {} };
  new Function("module", "exports", "require", js)(module, module.exports, require);
  return module.exports;
}

function microsecondsPerEpoch(nn, problem, repeats) {
  const activations = { tanh: nn.Activations.TANH, sigmoid: nn.Activations.SIGMOID,
    relu: nn.Activations.RELU, linear: nn.Activations.LINEAR };
  const inputIds = problem.inputs[0].map((_, i) => "x" + i);
  const network = nn.buildNetwork(problem.shape, activations[problem.activation],
    activations[problem.outputActivation], null, inputIds);
  const points = problem.inputs;
  const labels = problem.labels;
  const oneEpoch = () => {
    for (let i = 0; i < points.length; i++) {
      const input = points[i].slice();  // constructInput builds a fresh array per point
      nn.forwardProp(network, input);
      nn.backProp(network, labels[i], nn.Errors.SQUARE);
      if ((i + 1) % problem.batchSize === 0) {
        nn.updateWeights(network, problem.learningRate, 0);
      }
    }
    let loss = 0;
    for (let i = 0; i < points.length; i++) {
      const output = nn.forwardProp(network, points[i].slice());
      loss += nn.Errors.SQUARE.error(output, labels[i]);
    }
    return loss / points.length;
  };
  for (let i = 0; i < problem.epochs; i++) oneEpoch();  // let the JIT compile it first
  const timings = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < problem.epochs; i++) oneEpoch();
    timings.push(Number(process.hrtime.bigint() - start) / 1000 / problem.epochs);
  }
  timings.sort((a, b) => a - b);
  return timings[Math.floor(timings.length / 2)];
}

function timeProblems(problems, repeats) {
  const nn = loadEngine();
  return problems.map((problem) => microsecondsPerEpoch(nn, problem, repeats));
}

module.exports = { timeProblems };

if (require.main === module) {
  const request = JSON.parse(fs.readFileSync(0, "utf8"));
  console.log(JSON.stringify(timeProblems(request.problems, request.repeats)));
}
