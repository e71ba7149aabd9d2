/* Questionnaire autosave and live show_if. Progressive enhancement: without this script every
 * page still saves when its form is posted.
 *
 * Each change marks its question dirty; after a short pause the script posts the page's form
 * data plus `items` (the dirty question ids) to the page's autosave URL with the CSRF token in
 * the X-CSRFToken header. The server answers which questions are visible now (show_if is judged
 * on the server only, so the page and the scoring never disagree), the progress, and any error
 * per question, which is shown next to that question. When the page is hidden or closed, any
 * unsaved change is sent with `keepalive`, so closing the browser mid-page loses nothing. */
(function () {
  "use strict";
  // After a rejected post, take keyboard and screen-reader users to the list of problems.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }

  var url = form.getAttribute("data-autosave-url");
  var tokenInput = form.querySelector("input[name=csrf_token]");
  var token = tokenInput ? tokenInput.value : "";
  var status = document.getElementById("autosave-status");
  var dirty = {};
  var timer = null;
  var inFlight = false;
  var again = false;
  var texts = {
    saving: form.getAttribute("data-text-saving") || "…",
    offline: form.getAttribute("data-text-offline") || "!",
    note: form.getAttribute("data-text-note") || "",
    login: form.getAttribute("data-text-login") || "!",
    partly: form.getAttribute("data-text-partly") || "!"
  };
  var note = form.querySelector(".save-note");
  if (note && texts.note) { note.textContent = texts.note; }

  function itemOf(el) {
    var box = el.closest ? el.closest("[data-item]") : null;
    return box ? box.getAttribute("data-item") : null;
  }

  function say(text, isError, state) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
    status.setAttribute("data-state", state || (isError ? "error" : "saved"));
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-item]").forEach(function (box) {
      var id = box.getAttribute("data-item");
      var messages = errors[id];
      if (messages === undefined && !(id in sentIds)) { return; }
      var holder = document.getElementById(id + "-error");
      var inputs = box.querySelectorAll("input");
      if (messages && messages.length) {
        holder.textContent = messages.join(" ");
        holder.hidden = false;
        box.classList.add("has-error");
        inputs.forEach(function (i) { i.setAttribute("aria-invalid", "true"); });
      } else if (holder) {
        holder.textContent = "";
        holder.hidden = true;
        box.classList.remove("has-error");
        inputs.forEach(function (i) { i.removeAttribute("aria-invalid"); });
      }
    });
  }

  function hasValue(box) {
    return Array.prototype.some.call(box.querySelectorAll("input"), function (i) {
      return (i.type === "radio" || i.type === "checkbox") ? i.checked : i.value.trim() !== "";
    });
  }

  function applyVisible(visible) {
    var shown = {};
    visible.forEach(function (id) { shown[id] = true; });
    form.querySelectorAll("[data-item]").forEach(function (box) {
      var id = box.getAttribute("data-item");
      var wasHidden = box.hidden;
      box.hidden = !shown[id];
      // A follow-up shown again whose answer is still on screen: save it again.
      if (wasHidden && !box.hidden && hasValue(box)) { dirty[id] = true; schedule(); }
    });
  }

  // A saved question's note goes (the server says which notes the page still has); answers a
  // plausibility rule questions get their message beside them.
  function applyNotes(notes, warnings) {
    var kept = {};
    (notes || []).forEach(function (id) { kept[id] = true; });
    form.querySelectorAll(".answer-note").forEach(function (box) {
      var id = box.id.replace(/-note$/, "");
      if (!kept[id]) { box.remove(); }
    });
    form.querySelectorAll(".warning-message").forEach(function (holder) {
      var id = holder.id.replace(/-warning$/, "");
      var messages = (warnings || {})[id];
      holder.textContent = messages && messages.length ? messages.join(" ") : "";
      holder.hidden = !(messages && messages.length);
    });
  }

  function progress(data) {
    var bar = document.getElementById("assess-progress");
    var text = document.getElementById("progress-text");
    if (bar) { bar.max = data.required || 1; bar.value = data.answered; bar.textContent = data.answered + " / " + data.required; }
    if (text && data.progress_text) { text.textContent = data.progress_text; }
    // The page list's open-question counts follow each save (the server words them).
    Object.keys(data.pages || {}).forEach(function (number) {
      var status = form.querySelector('[data-page-status="' + number + '"]');
      if (!status) { return; }
      status.textContent = "· " + data.pages[number].text;
      status.className = data.pages[number].open ? "muted" : "done";
    });
  }

  var sentIds = {};

  function save(keepalive) {
    var ids = Object.keys(dirty);
    if (!ids.length) { return; }
    if (inFlight && !keepalive) { again = true; return; }
    var body = new FormData(form);
    body.delete("csrf_token");
    ids.forEach(function (id) { body.append("items", id); });
    sentIds = {};
    ids.forEach(function (id) { sentIds[id] = true; });
    dirty = {};
    inFlight = true;
    say(texts.saving, false, "saving");
    fetch(url, {
      method: "POST",
      body: new URLSearchParams(body),
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected && response.url.indexOf("/login") !== -1) { throw new Error("login"); }
      if (type.indexOf("application/json") === -1) { throw new Error("not json"); }
      return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    }).then(function (reply) {
      var data = reply.data;
      say(data.message || "", !reply.ok);
      showErrors(data.errors || {});
      if (reply.ok) {
        progress(data);
        applyVisible(data.visible || []);
        applyNotes(data.notes, data.warnings);
        if (form.querySelector(".question.has-error:not([hidden])")) { say(texts.partly, true, "saved"); }
      } else if (reply.status >= 500) {
        ids.forEach(function (id) { dirty[id] = true; });  // try again with the next change
      } else if (reply.status === 400 && Object.keys(data.errors || {}).length) {
        // The post was refused as a whole: send the sound answers again without the wrong ones.
        var sound = ids.filter(function (id) { return !data.errors[id]; });
        sound.forEach(function (id) { dirty[id] = true; });
        if (sound.length) { again = true; }
      }
    }).catch(function (error) {
      ids.forEach(function (id) { dirty[id] = true; });
      say(error && error.message === "login" ? texts.login : texts.offline, true);
    }).then(function () {
      inFlight = false;
      if (again) { again = false; schedule(); }
    });
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { save(false); }, delay === undefined ? 400 : delay);
  }

  function exclusive(el) {
    // "None of these" / "not applicable" checkboxes exclude the other options of the question.
    if (el.type !== "checkbox" || !el.checked) { return; }
    var box = el.closest("[data-item]");
    var boxes = box.querySelectorAll("input[type=checkbox]");
    boxes.forEach(function (other) {
      if (other === el) { return; }
      if (el.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) { other.checked = false; }
    });
    var rateInputs = box.querySelectorAll("input[type=text]");
    if (el.value === "n/a") { rateInputs.forEach(function (i) { i.value = ""; }); }
  }

  // "This answer is right": save the question as it is, which settles its note.
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!button) { return; }
    event.preventDefault();
    dirty[button.getAttribute("data-confirm")] = true;
    schedule(0);
  });
  form.addEventListener("change", function (event) {
    var id = itemOf(event.target);
    if (!id) { return; }
    exclusive(event.target);
    dirty[id] = true;
    schedule();
  });
  form.addEventListener("input", function (event) {
    var id = itemOf(event.target);
    if (!id || event.target.type !== "text") { return; }
    var na = document.getElementById(id + "-na");
    if (na && event.target.value !== "") { na.checked = false; }
    dirty[id] = true;
    schedule(1200);
  });
  // Leaving the page: send what is not saved yet, and let the browser finish the request.
  function flush() { if (Object.keys(dirty).length) { window.clearTimeout(timer); save(true); } }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });
  window.addEventListener("pagehide", flush);
  // Back online after a failed save: send what is still waiting.
  window.addEventListener("online", function () { if (Object.keys(dirty).length) { schedule(0); } });
  // A normal form post saves the whole page anyway.
  form.addEventListener("submit", function () { window.clearTimeout(timer); dirty = {}; });
}());
