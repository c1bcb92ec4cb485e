// FIT on the tablet: show each slider's value with a decimal comma as it moves (the sliders work
// without this; it only keeps the visible number in step). Loaded on the FIT screens only.
(function () {
  "use strict";

  function show(input) {
    var text = Number(input.value).toFixed(1).replace(".", ",");
    var output = document.getElementById(input.getAttribute("data-fit-output"));
    if (output) output.textContent = text;
    input.setAttribute("aria-valuetext", text);
  }

  document.addEventListener("input", function (evt) {
    var target = evt.target;
    if (target && target.matches && target.matches("input[type=range][data-fit-output]")) show(target);
  });

  // After the screen is swapped (thanks and the chart, or the form again with a message), move the
  // focus to its heading so a screen reader and the keyboard continue from there.
  document.addEventListener("htmx:afterSettle", function () {
    var heading = document.querySelector("[data-fit-screen] h1");
    if (heading && document.activeElement && !heading.contains(document.activeElement)) heading.focus();
  });
})();
