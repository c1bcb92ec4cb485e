// Din Indgang: the small amount of behaviour the pages need. No inline scripts (strict CSP);
// behaviour hangs on data- attributes.
(function () {
  "use strict";

  function csrfToken() {
    // Kept inside <body> so a boosted page swap brings the current token along.
    var holder = document.querySelector("[data-csrf-token]");
    return holder ? holder.getAttribute("data-csrf-token") : "";
  }

  function showNetStatus(message) {
    var box = document.getElementById("net-status");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    window.clearTimeout(showNetStatus.timer);
    showNetStatus.timer = window.setTimeout(function () { box.hidden = true; }, 8000);
  }

  function isBackground(elt) {
    return elt && elt.closest && elt.closest("[data-background]");
  }

  // A tap that did not reach the server says so on the button itself; tapping again re-sends the
  // same one-time token, so a tap that did arrive is never stored twice.
  function markTap(elt, state) {
    var form = elt && elt.closest ? elt.closest("[data-tap]") : null;
    if (!form) return false;
    form.setAttribute("data-state", state);
    var status = form.querySelector(".tap-status");
    if (status) {
      status.textContent = state === "failed" ? "Ikke gemt – tryk igen" : (state === "saving" ? "Gemmer …" : "");
    }
    return true;
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRFToken"] = csrfToken();
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    markTap(evt.detail.elt, "saving");
  });

  // Validation errors (422) re-render the form; boosted navigation shows our Danish error pages.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 422 || (status >= 400 && evt.detail.boosted)) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  function failed(evt, message) {
    if (evt.detail.boosted || isBackground(evt.detail.elt)) return;
    if (!markTap(evt.detail.elt, "failed")) showNetStatus(message);
  }
  document.addEventListener("htmx:responseError", function (evt) {
    failed(evt, "Det lykkedes ikke – intet er gemt. Prøv igen.");
  });
  document.addEventListener("htmx:sendError", function (evt) {
    failed(evt, "Ingen forbindelse – intet er gemt. Prøv igen.");
  });
  document.addEventListener("htmx:timeout", function (evt) {
    failed(evt, "Forbindelsen er langsom – intet er gemt. Prøv igen.");
  });

  // "Luk"/"Færdig" buttons dismiss an optional panel; nothing is lost, it was already saved.
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-dismiss]") : null;
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-dismiss"));
    if (target) {
      if (target.hasAttribute("data-dismissable")) target.remove();
      else target.innerHTML = "";
    }
  });

  // --- The welcome tablet is seen by visitors (templates/welcome/_board.html, _refine.html) ---

  function seconds(elt, name) {
    var n = parseFloat(elt.getAttribute(name));
    return (n > 0 ? n : 60) * 1000;
  }

  // A list unfolded on the board (<details data-refold-after="30">) folds itself again.
  // "toggle" does not bubble: listen in the capture phase.
  document.addEventListener("toggle", function (evt) {
    var details = evt.target;
    if (!details.hasAttribute || !details.hasAttribute("data-refold-after")) return;
    window.clearTimeout(details.refoldTimer);
    if (details.open) {
      details.refoldTimer = window.setTimeout(function () { details.open = false; },
        seconds(details, "data-refold-after"));
    }
  }, true);

  // A box with data-idle-clear="60" (the note, the citizen search) clears itself that many seconds
  // after the last input while it holds text: typed fields are emptied (a data-idle-keep field goes
  // back to its saved value), data-idle-empty parts (search results) emptied, details closed,
  // data-idle-hide parts hidden behind their data-idle-show button. Nothing saved is lost.
  var FIELDS = "textarea, input:not([type=hidden]):not([type=submit]):not([type=button])" +
    ":not([type=checkbox]):not([type=radio])";

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  function holdsText(box) {
    var found = false;
    each(box, FIELDS, function (field) { if (field.value !== "" && !field.closest("[hidden]")) found = true; });
    each(box, "[data-idle-empty]", function (part) { if (part.textContent.trim() !== "") found = true; });
    return found;
  }

  function clearIdle(box) {
    box.idleTimer = null;
    each(box, FIELDS, function (field) {
      field.value = field.hasAttribute("data-idle-keep") ? field.defaultValue : "";
    });
    each(box, "[data-idle-empty]", function (part) { part.innerHTML = ""; });
    each(box, "details", function (details) { details.open = false; });
    each(box, "[data-idle-hide]", function (part) { part.hidden = true; });
    each(box, "[data-idle-show]", function (button) { button.hidden = false; });
  }

  function armIdle(box) {
    window.clearTimeout(box.idleTimer);
    box.idleTimer = window.setTimeout(function () { clearIdle(box); }, seconds(box, "data-idle-clear"));
  }

  function armShown() {
    each(document, "[data-idle-clear]", function (box) {
      if (!box.idleTimer && holdsText(box)) armIdle(box);
    });
  }

  document.addEventListener("input", function (evt) {
    var box = evt.target.closest ? evt.target.closest("[data-idle-clear]") : null;
    if (box) armIdle(box);
  });
  // A panel swapped in with text already in it (a saved note) clears itself too.
  document.addEventListener("htmx:afterSwap", armShown);
  armShown();

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-idle-show]") : null;
    var box = button ? button.closest("[data-idle-clear]") : null;
    if (!box) return;
    button.hidden = true;
    each(box, "[data-idle-hide]", function (part) { part.hidden = false; });
    var field = box.querySelector(FIELDS);
    if (field) field.focus();
    if (holdsText(box)) armIdle(box);
  });
})();
