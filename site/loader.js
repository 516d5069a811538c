// The loading card: named stages and a bar while Python starts in the worker, a plain
// message if this browser cannot run it. Timings are kept in window.playgroundTimings.
(function () {
  const STAGES = ["Python runtime", "NumPy", "Panel and Bokeh", "Importing", "Starting the app"];
  const timings = (window.playgroundTimings = { stages: {}, pageStart: performance.timeOrigin });
  let card;

  function show(html) {
    if (!card) {
      card = document.createElement("div");
      card.id = "playground-loader";
      card.setAttribute("role", "status");
      document.body.appendChild(card);
    }
    card.innerHTML = html;
  }

  function render(current, detail) {
    const index = STAGES.indexOf(current);
    const rows = STAGES.map((stage, i) => {
      const state = i < index ? "done" : i === index ? "now" : "todo";
      return `<li class="${state}">${stage}${i === index && detail ? ` <span>(${detail})</span>` : ""}</li>`;
    }).join("");
    const percent = Math.round((100 * Math.max(index, 0)) / STAGES.length);
    show(`<b>Loading Python in your browser…</b><div class="bar"><div style="width:${percent}%"></div></div><ol>${rows}</ol>`);
  }

  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    document.addEventListener("DOMContentLoaded", () =>
      show("<b>This browser cannot run the playground.</b> It needs WebAssembly and Web Workers: " +
           "please open the page in a current Firefox, Chrome, Edge or Safari."));
    return;
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof pyodideWorker === "undefined") return;
    render(STAGES[0], "");
    pyodideWorker.addEventListener("message", (event) => {
      const msg = event.data;
      if (msg.type === "progress") {
        timings.stages[msg.stage] = msg.ms;
        if (msg.stage === "Ready") {
          timings.interactive = performance.now();
          if (card) card.remove();
        } else {
          render(msg.stage, msg.detail);
        }
      } else if (msg.type === "timing") {
        timings[msg.name] = msg.ms;
      } else if (msg.type === "failed") {
        show(`<b>Python could not start.</b><div class="error"></div>`);
        card.querySelector(".error").textContent = msg.msg;
      }
    });
  });
})();
