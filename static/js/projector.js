// Projector mode for the Friday meeting: one agenda item at a time, moved with the keyboard or a
// presenter clicker (arrow keys, Page Up/Page Down, space). Every move is a plain link, so the
// "Forrige"/"Næste" buttons do the same without JavaScript.
(function () {
  "use strict";

  function box() { return document.querySelector("[data-projector]"); }

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function activatable(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "A" || tag === "BUTTON" || tag === "SUMMARY";
  }

  function go(url) {
    if (url) window.location.assign(url);
  }

  function openDecision(root) {
    var details = root.querySelector("[data-decide]");
    if (!details) return;
    details.open = true;
    var field = details.querySelector(".decision-text textarea") || details.querySelector("textarea");
    if (field) field.focus();
  }

  document.addEventListener("keydown", function (evt) {
    var root = box();
    if (!root || evt.altKey || evt.ctrlKey || evt.metaKey || evt.defaultPrevented) return;
    if (typing(evt.target)) {
      if (evt.key === "Escape") evt.target.blur();  // leave the field; the next Escape leaves
      return;
    }
    var url = null;
    switch (evt.key) {
      case "ArrowRight":
      case "PageDown":
        url = root.getAttribute("data-next-url");
        break;
      case " ":
        if (activatable(evt.target)) return;  // space presses the focused button
        url = root.getAttribute("data-next-url");
        break;
      case "ArrowLeft":
      case "PageUp":
        url = root.getAttribute("data-prev-url");
        break;
      case "Home":
        url = root.getAttribute("data-first-url");
        break;
      case "End":
        url = root.getAttribute("data-last-url");
        break;
      case "Escape":
        url = root.getAttribute("data-exit-url");
        break;
      case "b":
      case "B":
        evt.preventDefault();
        openDecision(root);
        return;
      default:
        return;
    }
    evt.preventDefault();  // also at the first/last item: a clicker must not scroll the page
    go(url);
  });
})();
