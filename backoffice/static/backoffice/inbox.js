// "Select all on this page" for the inbox's bulk actions; without JavaScript each case is
// ticked one by one, or the "all matching the filter" button is used.
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) {
    return;
  }
  all.hidden = false;
  var boxes = document.querySelectorAll("input.inbox-check[name=case]");
  all.addEventListener("change", function () {
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
  });
  // The reason list matters only for a rejection.
  var action = document.getElementById("bulk-action");
  var reason = document.getElementById("bulk-reason");
  if (action && reason) {
    var sync = function () {
      reason.disabled = action.value !== "reject";
    };
    action.addEventListener("change", sync);
    sync();
  }
})();
