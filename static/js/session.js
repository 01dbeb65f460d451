// The staff session ends some hours after the last request (core.session). Shortly before,
// say so and offer to continue; the server is asked first, since another tab may have kept
// the session alive. Pages work without this script.
(function () {
  "use strict";
  var box = document.querySelector("[data-session-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.dataset.sessionUrl;
  var warnBefore = Number(box.dataset.warnBefore) * 1000;
  var deadline = Date.now() + Number(box.dataset.endsIn) * 1000;
  var timer = null;

  function at(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function wait(ms, then) {
    window.clearTimeout(timer);
    // Browsers cap timeouts at about 24 days; sessions are far shorter.
    timer = window.setTimeout(then, Math.max(1000, ms));
  }
  function show(over) {
    box.hidden = false;
    box.querySelector("[data-session-soon]").hidden = over;
    box.querySelector("[data-session-over]").hidden = !over;
    box.querySelector("[data-session-end]").textContent = at(deadline);
  }
  function answer(response) {
    var type = response.headers.get("Content-Type") || "";
    // Signed out: the server answers with the sign-in page, not with JSON.
    return response.ok && type.indexOf("application/json") === 0 ? response.json() : null;
  }
  function update(data) {
    if (!data || data.ends_in <= 0) {
      show(true);
      return;
    }
    deadline = Date.now() + data.ends_in * 1000;
    if (data.ends_in * 1000 > warnBefore) {
      box.hidden = true;
      wait(deadline - warnBefore - Date.now(), check);
    } else {
      show(false);
      wait(deadline - Date.now(), check);
    }
  }
  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(answer)
      .then(update)
      .catch(function () {
        wait(60000, check);
      });
  }
  box.querySelector("[data-session-continue]").addEventListener("click", function () {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": box.dataset.csrf },
    })
      .then(answer)
      .then(update);
  });
  wait(deadline - warnBefore - Date.now(), check);
})();
