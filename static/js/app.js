// Keyboard shortcuts for the practice loop: Space reveals, 1-4 grades, Esc leaves a text box.
// Kept in a file (no inline script) so the Content Security Policy can forbid inline code.
(function () {
  "use strict";
  var TYPING = "textarea, select, input:not([type=radio]):not([type=checkbox]):not([type=hidden])";

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    var target = event.target;
    if (target.matches && target.matches(TYPING)) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.key === " " || event.key === "Spacebar") {
      var reveal = document.querySelector("[data-key=reveal]");
      if (reveal && !reveal.disabled) {
        event.preventDefault();
        reveal.click();
      }
      return;
    }
    if (["1", "2", "3", "4"].indexOf(event.key) !== -1) {
      var form = document.querySelector("form[data-grade]");
      if (!form) return;
      var option = form.querySelector('input[name=rating][value="' + event.key + '"]');
      if (!option) return;
      event.preventDefault();
      option.checked = true;
      form.requestSubmit();
    }
  });

  // After htmx swaps in a new card, put focus on its first control so typing can start at once.
  document.addEventListener("htmx:afterSwap", function (event) {
    var card = document.getElementById("practice-card");
    if (!card || !card.contains(event.detail.elt)) return;
    var first = card.querySelector("textarea, input[name=choices]");
    if (first && !document.querySelector("form[data-grade]")) first.focus({ preventScroll: true });
    card.scrollIntoView({ block: "start", behavior: "smooth" });
  });
})();
