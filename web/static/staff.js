// Staff pages, progressive enhancement only: every page works without this
// file. The menu's groups open one at a time and close with Escape or a
// click elsewhere.
(function () {
  "use strict";

  function menus() { return document.querySelectorAll("details[data-menu]"); }

  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d.matches || !d.matches("details[data-menu]") || !d.open) { return; }
    menus().forEach(function (other) { if (other !== d) { other.open = false; } });
  }, true);

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    menus().forEach(function (d) {
      if (d.open) { d.open = false; d.querySelector("summary").focus(); }
    });
  });

  document.addEventListener("click", function (e) {
    menus().forEach(function (d) { if (d.open && !d.contains(e.target)) { d.open = false; } });
  });
})();
