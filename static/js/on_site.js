// On-site item page: save each change as it is made, and keep what could not be sent on this
// device (localStorage) until the server has it, so a weak connection loses nothing.
(function () {
  "use strict";
  var form = document.getElementById("item-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("save-status");
  var queue = Promise.resolve();
  var key = form.dataset.key;
  var token = form.querySelector("input[name=csrf_token]").value;

  function say(text) { status.textContent = text || ""; }

  function remember(data) {
    try { localStorage.setItem(key, JSON.stringify(Array.from(data.entries()))); } catch (e) { /* private mode */ }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* private mode */ } }

  function send(data) {
    remember(data);
    say(form.dataset.textSaving);
    // form.action would be the buttons named "action": read the attribute.
    return fetch(form.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin",
                               headers: {"Accept": "application/json", "X-CSRFToken": token}})
      .then(function (response) {
        return response.json().then(function (reply) {
          if (typeof reply.base === "number") { form.elements.base.value = reply.base; }
          if (reply.saved) {
            forget(); say(form.dataset.textSaved);
            if (reply.answer_changed) { form.elements.reason.value = ""; }
          }
          else {
            say(reply.message);
            if (response.status === 409) { forget(); window.location.reload(); }
            else if (response.status < 500) { forget(); }
          }
        });
      })
      .catch(function () { say(form.dataset.textOffline); });
  }

  function collect() {
    var data = new FormData(form);
    data.set("action", "save");
    return data;
  }

  // Restore what an earlier visit could not send, then try again.
  try {
    var pending = JSON.parse(localStorage.getItem(key) || "null");
    if (pending) {
      var data = new FormData();
      pending.forEach(function (pair) { data.append(pair[0], pair[1]); });
      data.set("csrf_token", token);
      queue = send(data);
    }
  } catch (e) { forget(); }

  // Every change sends the whole item (answer, state, reason). A changed answer without a
  // reason is refused with the message shown; the answer stays on screen and goes again,
  // with its reason, when the reason is typed.
  // One save at a time: a change made while a save is on its way goes next, read from the form
  // then, so it carries the item's newest change id (`base`) and is not refused as stale.
  var waiting = false;
  form.addEventListener("change", function () {
    if (waiting) { return; }
    waiting = true;
    queue = queue.then(function () { waiting = false; return send(collect()); });
  });
  window.addEventListener("online", function () {
    var data = localStorage.getItem(key);
    if (data) { send(collect()); }
  });
})();
