// Elderly-friendly mode (适老模式, default theme): larger type, higher contrast, wider
// spacing and bigger targets, switched by the header button and kept in localStorage.
// Loaded in <head> without `defer`, so that the stored mode is on <html> before the page
// is first painted (no flash of the normal look). `elder-js` on <html> shows the button
// (style.css): without scripting it is never shown. The mode is the class `elder`; the
// article's 大/中/小 switch (article.js) sizes the body text within it.
(function () {
  "use strict";
  var KEY = "gazette-elder";
  var root = document.documentElement;

  function stored() {
    try { return localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function save(on) {
    try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
  }
  function apply(on) {
    root.classList.toggle("elder", on);
    var buttons = document.querySelectorAll("[data-elder-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(on));
    }
  }

  root.classList.add("elder-js");
  apply(stored());
  // The button is parsed after this script runs: mark it once it is there.
  document.addEventListener("DOMContentLoaded", function () { apply(root.classList.contains("elder")); });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-elder-toggle]") : null;
    if (!target) { return; }
    var on = !root.classList.contains("elder");
    save(on);
    apply(on);
  });
  // Another tab switched it: follow.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) { apply(event.newValue === "on"); }
  });
})();
