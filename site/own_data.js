// What the page does with a learner's file or paste before Python sees it. A file is read here,
// not by BokehJS: one over the size limit is refused at once (a 50 MB file would take Python
// many seconds to receive), and one that cannot be read is named as such. What was read or
// refused goes to Python through the data panel's hidden "csv-received" box, with the file's
// name and size, and Python answers in the panel. A paste that would make the text larger than
// the limit is refused whole, never cut.
(function () {
  const MAX_BYTES = /*MAX_CSV_BYTES*/0;

  function hostClasses(element) {
    const root = element.getRootNode();
    return root && root.host ? root.host.classList : { contains: () => false };
  }

  function send(message) {
    const doc = typeof pyodideWorker !== "undefined" ? pyodideWorker.jsdoc : undefined;
    if (!doc) return;
    for (const model of doc.all_models) {
      if (model.css_classes && model.css_classes.includes("csv-received")) {
        model.value = JSON.stringify({ ...message, limit: MAX_BYTES, sent: performance.now() });
        return;
      }
    }
  }

  // Selecting a file fires "input" (which crosses shadow roots) and then "change" (which does
  // not, and which BokehJS's file input reads): the first "input" stops every later "change"
  // inside that input's shadow root, and the file is read here instead.
  const watched = new WeakSet();
  document.addEventListener("input", (event) => {
    const input = event.composedPath()[0];
    if (!input || input.type !== "file" || !hostClasses(input).contains("csv-upload")) return;
    const root = input.getRootNode();
    if (!watched.has(root)) {
      watched.add(root);
      root.addEventListener("change", (change) => change.stopPropagation(), true);
    }
    const file = input.files && input.files[0];
    input.value = ""; // choosing the same file again is a new choice
    if (!file) return;
    const about = { kind: "file", name: file.name, size: file.size };
    if (file.size > MAX_BYTES) {
      send(about);
      return;
    }
    file.text().then((text) => send({ ...about, text }), (error) => send({ ...about, error: `${error.message || error}` }));
  }, true);

  document.addEventListener("paste", (event) => {
    const box = event.composedPath()[0];
    if (!box || box.tagName !== "TEXTAREA" || !hostClasses(box).contains("csv-text")) return;
    const pasted = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    const kept = box.value.length - (box.selectionEnd - box.selectionStart);
    const size = new TextEncoder().encode(pasted).length + kept;
    if (size > MAX_BYTES) {
      event.preventDefault();
      send({ kind: "paste", name: "The pasted text", size });
    }
  }, true);
})();
