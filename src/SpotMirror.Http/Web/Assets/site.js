// SpotMirror web: reactions without a page reload, suggestions while typing, and the sign-in hand-off.
// Every form also works without this script.
(function () {
  "use strict";

  function toast(text) {
    var box = document.querySelector(".toast");
    if (!box) return;
    box.textContent = text;
    box.classList.add("show");
    clearTimeout(box._hide);
    box._hide = setTimeout(function () { box.classList.remove("show"); }, 3500);
  }

  // A sign-in page posts its token at once: previewers fetch links but never run this.
  var handoff = document.querySelector("form[data-autosubmit]");
  if (handoff) handoff.submit();

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-react]")) return;
    event.preventDefault();
    var button = event.submitter;
    var data = new FormData(form);
    if (button && button.name) data.set(button.name, button.value);
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(data),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok && button) button.setAttribute("aria-pressed", result.body.pressed ? "true" : "false");
      toast(result.body.message || "Done.");
    }).catch(function () {
      toast("That didn't go through. Check your connection and try again.");
    }).finally(function () {
      if (button) { button.disabled = false; button.focus(); }
    });
  });

  var timer;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches("input[data-suggest]")) return;
    clearTimeout(timer);
    var typed = input.value.trim();
    if (typed.length < 2) return;
    timer = setTimeout(function () {
      fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (names) {
          var list = document.getElementById(input.getAttribute("list"));
          if (!list) return;
          list.replaceChildren.apply(list, names.map(function (name) {
            var option = document.createElement("option");
            option.value = name;
            return option;
          }));
        })
        .catch(function () { /* suggestions are a help, not a must */ });
    }, 150);
  });
})();
