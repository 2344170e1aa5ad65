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

// The session's timeout (WCAG 2.2.1). The server says, in the form under
// the menu, how many seconds the session has left and how early to warn.
// A dialog warns in time and extends the session without leaving the page;
// once the time is up it says so, and that anything written on the page
// is kept when the form is sent.
(function () {
  "use strict";

  var form = document.querySelector("form[data-session]");
  var dialog = document.getElementById("session-dialog");
  if (!form || !dialog || typeof dialog.showModal !== "function") { return; }
  var note = form.querySelector("[data-session-note]");
  var title = document.getElementById("session-dialog-title");
  var text = document.getElementById("session-dialog-text");
  var extendButton = dialog.querySelector("[data-extend]");
  var login = dialog.querySelector("[data-login]");
  var warnTimer, endTimer;

  function schedule(expiresIn, warn, final) {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(function () { warnNow(final); }, Math.max(0, expiresIn - warn) * 1000);
    endTimer = setTimeout(ended, Math.max(0, expiresIn) * 1000);
  }

  function warnNow(final) {
    if (final) {
      text.textContent = text.getAttribute("data-final");
      extendButton.hidden = true;
    }
    if (!dialog.open) { dialog.showModal(); }
    (final ? dialog.querySelector("[data-close]") : extendButton).focus();
  }

  function ended() {
    title.textContent = title.getAttribute("data-ended");
    text.textContent = text.getAttribute("data-ended");
    extendButton.hidden = true;
    login.hidden = false;
    if (!dialog.open) { dialog.showModal(); }
    login.focus();
  }

  function extend() {
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (!r.ok || r.redirected || (r.headers.get("Content-Type") || "").indexOf("json") < 0) { throw new Error("ended"); }
        return r.json();
      })
      .then(function (s) {
        note.textContent = s.note;
        dialog.close();
        schedule(s.expiresIn, Number(form.getAttribute("data-warn")), s.final);
      })
      .catch(ended);
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); extend(); });
  extendButton.addEventListener("click", extend);
  dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); });
  schedule(Number(form.getAttribute("data-expires-in")), Number(form.getAttribute("data-warn")), form.hasAttribute("data-final"));
})();
