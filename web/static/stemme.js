// Progressive enhancement only: every page works without this file. The
// server decides what is shown and stored; this only hides, while the form is
// being filled in, questions whose condition depends on an answer on the same page.
(function () {
  "use strict";

  // Only the simplest conditions are understood here; anything else stays visible,
  // and the server ignores answers to questions whose condition is false.
  var simple = /^\s*(?:\$\{([a-z][a-z0-9_]*)\}\s*(=|!=)\s*'([^']*)'|selected\(\s*\$\{([a-z][a-z0-9_]*)\}\s*,\s*'([^']*)'\s*\))\s*$/;

  function values(form, key) {
    var out = [];
    var inputs = form.querySelectorAll("[name='" + key + "']");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { continue; }
      if (el.value !== "") { out.push(el.value); }
    }
    return out;
  }

  function holds(form, m) {
    if (m[4]) { return values(form, m[4]).indexOf(m[5]) >= 0; }
    var v = values(form, m[1]);
    var equal = v.length === 1 && v[0] === m[3];
    if (m[3] === "" ) { equal = v.length === 0; }
    return m[2] === "=" ? equal : !equal;
  }

  function update(form) {
    var items = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < items.length; i++) {
      var m = simple.exec(items[i].getAttribute("data-show-if"));
      var key = m && (m[1] || m[4]);
      if (!m || !form.querySelector("[name='" + key + "']:not([type=hidden])")) { continue; }
      items[i].hidden = !holds(form, m);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A page of a form sent back with errors is the answer to a post. Giving
    // its history entry the page's own address makes Back and reload fetch
    // that page (everything typed is kept on the server) instead of offering
    // to send the form again.
    var answered = document.querySelector("form[data-page-url]");
    if (answered && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", answered.getAttribute("data-page-url"));
    }
    // Move focus to the error summary so screen-reader users hear what to fix.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        if (!form.querySelector("[data-show-if]")) { return; }
        form.addEventListener("change", function () { update(form); });
        update(form);
      })(forms[i]);
    }
  });
})();
