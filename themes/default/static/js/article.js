// Article tools (default theme): the print button and the 大/中/小 font-size switch.
// Both are in the page hidden and shown here, so that a reader without scripting never
// sees a button that does nothing. The chosen size is kept in localStorage and applied
// as `data-text-size` on <html> (style.css sizes the text by it).
(function () {
  "use strict";
  var KEY = "gazette-text-size";
  var root = document.documentElement;

  function stored() {
    try { return localStorage.getItem(KEY) || "m"; } catch (e) { return "m"; }
  }
  function apply(size) {
    if (size === "m") { root.removeAttribute("data-text-size"); } else { root.setAttribute("data-text-size", size); }
    var buttons = document.querySelectorAll("[data-text-size-set]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-text-size-set") === size));
    }
  }
  function save(size) {
    try { localStorage.setItem(KEY, size); } catch (e) { /* private mode: this page only */ }
  }

  apply(stored());
  var tools = document.querySelectorAll("[data-article-tool]");
  for (var i = 0; i < tools.length; i++) { tools[i].hidden = false; }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-print")) {
      window.print();
    } else if (target.hasAttribute("data-text-size-set")) {
      var size = target.getAttribute("data-text-size-set");
      save(size);
      apply(size);
    }
  });
})();
