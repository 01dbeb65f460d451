// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Move focus to the error summary so that screen readers announce the errors first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Forms marked data-submit-once disable their submit buttons after the first submission,
  // so a double tap on a slow network sends the form once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) {
      return;
    }
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-submitting");
    });
  });
})();
