// What the page does by itself, before and beside Python: keyboard shortcuts (Space, S, R, ?),
// keeping the focus on a button that Python redraws, remembering whether "More settings" is
// open, and telling a course page that embeds this one how tall it is.
(function () {
  const SHORTCUTS = [
    [" ", "play", "Play or pause"],
    ["s", "step-1", "Step one epoch"],
    ["r", "reset", "Reset the weights"],
    ["?", null, "Show or hide these keys"],
  ];
  const MORE_SETTINGS_KEY = "backprop-playground.more-settings-open";

  // Panel's page script declares the worker as a global constant, which is not a property of window.
  function linkedDocument() {
    return typeof pyodideWorker !== "undefined" ? pyodideWorker.jsdoc : undefined;
  }

  // The view of the first model in the page's document that has the CSS class ``name``.
  function viewWithClass(name) {
    const doc = linkedDocument();
    if (!doc || !window.Bokeh) return null;
    for (const model of doc.all_models) {
      if (model.css_classes && model.css_classes.includes(name)) {
        const view = Bokeh.index.find_one(model);
        if (view) return view;
      }
    }
    return null;
  }

  function press(name) {
    const view = viewWithClass(name);
    const button = view && view.el.shadowRoot && view.el.shadowRoot.querySelector("button");
    if (button && !button.disabled) button.click();
  }

  // ----- the keys card ------------------------------------------------------------------------
  let card = null;
  function toggleKeys() {
    if (card) {
      card.remove();
      card = null;
      return;
    }
    card = document.createElement("div");
    card.id = "playground-keys";
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-label", "Keyboard shortcuts");
    const rows = SHORTCUTS.map(([key, , what]) => `<tr><td><kbd>${key === " " ? "Space" : key.toUpperCase()}</kbd></td><td>${what}</td></tr>`);
    card.innerHTML = `<b>Keyboard shortcuts</b><table>${rows.join("")}</table><button type="button">Close</button>`;
    card.querySelector("button").addEventListener("click", toggleKeys);
    document.body.appendChild(card);
    card.querySelector("button").focus();
  }
  window.playgroundKeys = { toggle: toggleKeys };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.composedPath()[0];
    const tag = target && target.tagName;
    if (target && (target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT")) return;
    if (event.key === "Escape" && card) {
      toggleKeys();
      return;
    }
    if ((event.key === " " || event.key === "Enter") && tag === "BUTTON") return; // the button answers itself
    const shortcut = SHORTCUTS.find(([key]) => key === event.key.toLowerCase());
    if (!shortcut) return;
    event.preventDefault();
    if (shortcut[1]) press(shortcut[1]);
    else toggleKeys();
  });

  // ----- answers on the page itself --------------------------------------------------------
  // The first element with CSS class ``name`` anywhere in the page, shadow roots included.
  function deepFind(name, root = document) {
    for (const el of root.querySelectorAll("*")) {
      if (el.classList && el.classList.contains(name)) return el;
      if (el.shadowRoot) {
        const found = deepFind(name, el.shadowRoot);
        if (found) return found;
      }
    }
    return null;
  }

  function flash(button, text) {
    const label = button.textContent;
    button.textContent = text;
    setTimeout(() => { button.textContent = label; }, 2000);
  }

  function copy(text, button) {
    const done = () => flash(button, "Copied ✓");
    const fallback = () => {  // pages served over plain http from another host have no clipboard API
      const area = document.createElement("textarea");
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      done();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  document.addEventListener("click", (event) => {
    const path = event.composedPath();
    const button = path.find((el) => el.tagName === "BUTTON");
    const host = path.find((el) => el.classList && (el.classList.contains("play") || el.classList.contains("keys")
      || el.classList.contains("tool-link") || el.classList.contains("copy-button")));
    if (!button || !host) return;
    if (host.classList.contains("play")) {
      // Python answers with the same label; the page shows it at once.
      const pausing = button.textContent.includes("Pause");
      button.textContent = pausing ? "▶ Play" : "❚❚ Pause";
      host.classList.toggle("is-running", !pausing);
    } else if (host.classList.contains("keys")) {
      toggleKeys();
    } else if (host.classList.contains("tool-link")) {
      const tabs = deepFind("tools");  // Python opens the tab; the page scrolls to the tabs
      if (tabs) tabs.scrollIntoView({ behavior: "smooth", block: "start" });
    } else {
      const name = [...host.classList].find((name) => name.startsWith("copies-"));
      const box = name && deepFind(name.slice("copies-".length));
      const field = box && box.shadowRoot && box.shadowRoot.querySelector("input, textarea");
      if (field) copy(field.value, button);
    }
  }, true);

  // ----- focus ------------------------------------------------------------------------------
  // BokehJS draws a button anew when Python changes its label (Play → Pause), and the focus
  // falls back to the page: a keyboard user could press Space only once. Give it back.
  let focusedHost = null;
  let keepUntil = 0;
  document.addEventListener("focusin", (event) => {
    const target = event.composedPath()[0];
    if (target && target.tagName === "BUTTON") {
      const root = target.getRootNode();
      focusedHost = root && root.host ? root.host : null;
    }
  });
  document.addEventListener("keyup", (event) => {
    if (event.key === " " || event.key === "Enter") keepUntil = performance.now() + 3000;
  }, true);
  (function keepFocus() {
    if (focusedHost && performance.now() < keepUntil && document.activeElement === document.body
        && focusedHost.isConnected) {
      const button = focusedHost.shadowRoot && focusedHost.shadowRoot.querySelector("button");
      if (button) button.focus({ preventScroll: true });
    }
    requestAnimationFrame(keepFocus);
  })();

  // ----- once Python has drawn the page -----------------------------------------------------
  function whenLinked(callback) {
    (function wait() {
      if (linkedDocument() && window.playgroundTimings
          && window.playgroundTimings.interactive !== undefined) callback();
      else setTimeout(wait, 100);
    })();
  }

  whenLinked(() => {
    const view = viewWithClass("more-settings");
    if (!view) return;
    const model = view.model;
    let stored = null;
    try { stored = window.localStorage.getItem(MORE_SETTINGS_KEY); } catch (error) { /* storage switched off */ }
    if (stored === "true" && !model.active) model.active = true;
    model.properties.active.change.connect(() => {
      try { window.localStorage.setItem(MORE_SETTINGS_KEY, String(model.active)); } catch (error) { /* as above */ }
    });
  });

  // ----- names for BokehJS's unnamed parts ---------------------------------------------------
  // A number box's up and down arrows, a check box beside its words, a table cell and a slider's
  // handle are drawn without a name a screen reader can say. The arrows leave the Tab order:
  // the arrow keys in the box do the same, so Play stays a few Tab presses from the top.
  function widgetName(root) {
    const host = root.host;
    const label = root.querySelector("label, .bk-slider-title, .bk-label");
    const text = label ? label.textContent.trim().replace(/:$/, "") : "";
    if (text) return text;
    const cell = host && [...host.classList].find((name) => /^cell-\d+-\d+$/.test(name));
    if (cell) {
      const [, row, column] = cell.split("-").map(Number);
      return `Row ${row + 1}, column ${column + 1}`;
    }
    return root.querySelector(".noUi-handle") ? "Epoch to show" : "";
  }
  function nameWidgets(root) {
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) nameWidgets(element.shadowRoot);
    }
    if (root === document) return;
    for (const arrow of root.querySelectorAll("button.bk-spin-btn:not([aria-label])")) {
      arrow.setAttribute("aria-label", arrow.classList.contains("bk-spin-btn-up") ? "One more" : "One less");
      arrow.tabIndex = -1;
    }
    for (const input of root.querySelectorAll("input:not([aria-label]), .noUi-handle:not([aria-label])")) {
      const name = widgetName(root);
      if (name) input.setAttribute("aria-label", name);
    }
  }
  whenLinked(() => {
    nameWidgets(document);
    setInterval(() => nameWidgets(document), 1500);  // parts drawn later (a tab, a new layer) too
  });

  // ----- inside a course page's iframe ------------------------------------------------------
  // The snippet of the teacher panel listens for this message and sets the iframe's height.
  if (window.parent !== window) {
    let sent = 0;
    // The page's boxes: Bokeh draws each root inside a wrapper of `display: contents` (no box of
    // its own); the loader, the keys card and Bokeh's fixed layers belong to the window, not the page.
    const boxes = (element) => getComputedStyle(element).display === "contents"
      ? [...element.children].flatMap(boxes) : [element];
    const report = () => {
      const bottom = Math.max(0, ...[...document.body.children].flatMap(boxes)
        .filter((element) => getComputedStyle(element).position !== "fixed")
        .map((element) => element.getBoundingClientRect().bottom + window.scrollY));
      const height = Math.ceil(bottom);
      if (height > 0 && height !== sent) {
        sent = height;
        window.parent.postMessage({ backpropPlaygroundHeight: height }, "*");
      }
    };
    document.addEventListener("DOMContentLoaded", () => {
      new ResizeObserver(report).observe(document.body);
      whenLinked(report);
      setInterval(report, 1000); // shadow roots grow without resizing the body's own box
    });
  }
})();
