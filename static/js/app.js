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

  // Phone cameras take 3-12 MB photos; the server keeps them at most data-shrink-to pixels
  // wide. Shrinking in the browser first sends a few hundred KB instead: seconds rather than
  // minutes on a slow line, and no camera metadata (location) on the wire. The server still
  // checks and re-encodes what it receives. Whatever goes wrong here, the original is sent.
  var SHRINK_ABOVE_BYTES = 500 * 1024;
  function shrink(input) {
    var file = input.files && input.files[0];
    var side = parseInt(input.getAttribute("data-shrink-to"), 10);
    if (!file || !side || file.size < SHRINK_ABOVE_BYTES) return;
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return; // HEIC: few browsers decode it
    if (!window.createImageBitmap || !window.DataTransfer || !window.File) return;
    input.setAttribute("data-shrinking", "1");
    var done = function () { input.removeAttribute("data-shrinking"); };
    createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff"; // transparent PNG areas: white, as the server does
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        if (bitmap.close) bitmap.close();
        canvas.toBlob(function (blob) {
          // Another photo may have been chosen meanwhile; a bigger result is not worth it.
          if (blob && input.files[0] === file && blob.size < file.size) {
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            var transfer = new DataTransfer();
            transfer.items.add(new File([blob], name, { type: "image/jpeg" }));
            input.files = transfer.files;
            input.setAttribute("data-shrunk", String(blob.size));
          }
          done();
        }, "image/jpeg", 0.85);
      })
      .catch(done);
  }
  document.querySelectorAll("input[type=file][data-shrink-to]").forEach(function (input) {
    input.addEventListener("change", function () {
      input.removeAttribute("data-shrunk");
      try {
        shrink(input);
      } catch (error) {
        input.removeAttribute("data-shrinking");
      }
    });
  });
})();
