// Din Indgang: the small amount of behaviour the pages need. No inline scripts (strict CSP).
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

  // Every htmx request carries the CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRFToken"] = csrfToken();
  });

  // Validation errors (422) re-render the form; boosted navigation shows our Danish error pages.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 422) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    } else if (status >= 400 && evt.detail.boosted) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // A failed request is never silent.
  document.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail.boosted) return;
    var elt = evt.detail.elt;
    if (elt && elt.dataset && elt.dataset.background) return;
    showNetStatus("Det lykkedes ikke – intet er gemt. Prøv igen.");
  });
  document.addEventListener("htmx:sendError", function (evt) {
    var elt = evt.detail.elt;
    if (elt && elt.dataset && elt.dataset.background) return;
    showNetStatus("Ingen forbindelse – intet er gemt. Prøv igen.");
  });

})();
