// Starts Python in a Web Worker at once, while BokehJS loads and draws the prerendered page,
// and shows a loading card: the worker's named stages and a bar, or a plain message if this
// browser cannot run it. Timings are kept in window.playgroundTimings for tests and benchmarks.
(function () {
  const timings = (window.playgroundTimings = { stages: {}, pageStart: performance.timeOrigin });
  let stages = [];
  let current = { stage: null, detail: "" };
  let failure = null;
  let card;

  function show(html) {
    if (!document.body) return; // before the body exists; DOMContentLoaded shows it
    if (!card) {
      card = document.createElement("div");
      card.id = "playground-loader";
      card.setAttribute("role", "status");
      document.body.appendChild(card);
    }
    card.innerHTML = html;
  }

  function render() {
    const index = Math.max(stages.indexOf(current.stage), 0);
    const rows = stages.map((stage, i) => {
      const state = i < index ? "done" : i === index ? "now" : "todo";
      return `<li class="${state}">${stage}${i === index && current.detail ? ` <span>(${current.detail})</span>` : ""}</li>`;
    }).join("");
    const percent = stages.length ? Math.round((100 * index) / stages.length) : 0;
    show(`<b>Loading Python in your browser…</b><div class="bar"><div style="width:${percent}%"></div></div><ol>${rows}</ol>`);
  }

  function showFailure() {
    show(`<b>Python could not start.</b><div class="error"></div>`);
    if (card) card.querySelector(".error").textContent = failure;
  }

  // The build puts the default network's picture first in the page (#playground-preview), drawn
  // by the app's own code: it shows while BokehJS draws the prerendered page, and goes once that
  // is drawn. A link with settings (?dataset=circle, ...) has another network: not shown for it.
  const settings = [...new URLSearchParams(window.location.search).keys()].filter((key) => key !== "embed");
  if (settings.length) document.documentElement.classList.add("playground-has-settings");
  (function dropPreviewOnceDrawn() {
    if (window.Bokeh && Bokeh.index && Bokeh.index.roots.length > 0) {
      const preview = document.getElementById("playground-preview");
      if (preview) preview.remove();
    } else {
      requestAnimationFrame(dropPreviewOnceDrawn);
    }
  })();

  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    document.addEventListener("DOMContentLoaded", () =>
      show("<b>This browser cannot run the playground.</b> It needs WebAssembly and Web Workers: " +
           "please open the page in a current Firefox, Chrome, Edge or Safari."));
    return;
  }

  // The page's own script (Panel's) takes this worker as pyodideWorker. The worker keeps the
  // rendered app until "page-ready": by DOMContentLoaded that script has set its handlers.
  const worker = (window.playgroundWorker = new Worker("./worker.js" + window.location.search));
  worker.addEventListener("message", (event) => {
    const msg = event.data;
    if (msg.type === "stages") {
      stages = msg.names;
      render();
    } else if (msg.type === "progress") {
      timings.stages[msg.stage] = msg.ms;
      if (msg.stage === "Ready") {
        timings.interactive = performance.now();
        if (card) card.remove();
        card = null;
      } else {
        current = { stage: msg.stage, detail: msg.detail };
        render();
      }
    } else if (msg.type === "timing") {
      timings[msg.name] = msg.ms;
    } else if (msg.type === "failed") {
      failure = msg.msg;
      showFailure();
    }
  });
  // Tell the worker, once a frame, how many of its changes the page has taken in and is drawing.
  let received = 0;
  worker.addEventListener("message", (event) => {
    if (event.data.type !== "patch") return;
    if (received++ === 0) {
      // After the frame: BokehJS paints in animation-frame callbacks too, and this one's task
      // runs once they are done.
      requestAnimationFrame(() => setTimeout(() => {
        worker.postMessage({ type: "drawn", count: received });
        received = 0;
      }));
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    if (failure !== null) showFailure();
    else if (timings.interactive === undefined) render();
    worker.postMessage({ type: "page-ready" });
  });
})();
