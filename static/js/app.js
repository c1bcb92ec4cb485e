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
})();
