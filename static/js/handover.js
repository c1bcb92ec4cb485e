// Handover: copy the plain-text form to the clipboard, for pasting into the authority
// department's own system. Without JavaScript the readonly textarea is there to select and copy.
(function () {
  "use strict";

  function reveal() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) {
      if (navigator.clipboard && window.isSecureContext !== false) buttons[i].hidden = false;
    }
  }

  function say(button, message) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) status.textContent = message;
  }

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-copy-target]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) return;
    navigator.clipboard.writeText(source.value || source.textContent).then(
      function () { say(button, "Kopieret – sæt ind i jeres system."); },
      function () {
        source.focus();
        source.select();
        say(button, "Kunne ikke kopiere automatisk. Teksten er markeret – tryk Ctrl+C.");
      }
    );
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
  document.addEventListener("htmx:load", reveal);
})();
