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
  var SHRINK_WAIT_MS = 15000;
  // Resolves once the input holds the photo to send: the shrunk one, or the original.
  function shrink(input) {
    var file = input.files && input.files[0];
    var side = parseInt(input.getAttribute("data-shrink-to"), 10);
    if (!file || !side || file.size < SHRINK_ABOVE_BYTES) return Promise.resolve();
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(); // HEIC: rarely decodable
    if (!window.createImageBitmap || !window.DataTransfer || !window.File) return Promise.resolve();
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // transparent PNG areas: white, as the server does
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          // Another photo may have been chosen meanwhile; a bigger result is not worth it.
          if (blob && input.files[0] === file && blob.size < file.size) {
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            var transfer = new DataTransfer();
            transfer.items.add(new File([blob], name, { type: "image/jpeg" }));
            input.files = transfer.files;
            input.setAttribute("data-shrunk", String(blob.size));
          }
          resolve();
        }, "image/jpeg", 0.85);
      });
    });
  }
  var shrinking = new Map(); // input -> promise of its shrink in progress
  document.querySelectorAll("input[type=file][data-shrink-to]").forEach(function (input) {
    input.addEventListener("change", function () {
      input.removeAttribute("data-shrunk");
      var work;
      try {
        work = shrink(input);
      } catch (error) {
        work = Promise.resolve();
      }
      work = work.catch(function () {}).then(function () {
        if (shrinking.get(input) === work) shrinking.delete(input);
      });
      shrinking.set(input, work);
    });
  });
  // "Continue" tapped while a photo is still being shrunk: send once it is ready (or after
  // SHRINK_WAIT_MS with whatever the input holds). Runs before the other submit handlers.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var waits = [];
      shrinking.forEach(function (work, input) {
        if (input.form === form) waits.push(work);
      });
      if (!waits.length || !form.requestSubmit) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var submitter = event.submitter;
      var timeout = new Promise(function (resolve) { setTimeout(resolve, SHRINK_WAIT_MS); });
      Promise.race([Promise.all(waits), timeout]).then(function () {
        shrinking.clear();
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      });
    },
    true
  );
})();
