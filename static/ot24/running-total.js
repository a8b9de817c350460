// Section steps: ask the server's scoring engine for the total as currently ticked, and show each
// intervention's refusal next to it before saving. Nothing is saved until the form is submitted: the
// header keeps the saved points, and the unsaved total is shown apart (text and a striped bar segment).
(function () {
  var form = document.getElementById("section-form");
  if (!form || !window.fetch) { return; }
  var pending = document.getElementById("running-total-pending");
  var bar = document.getElementById("score-bar");
  var savedBar = document.getElementById("score-bar-saved");
  var pendingBar = document.getElementById("score-bar-pending");
  var threshold = parseInt(bar.dataset.threshold, 10) || 100;
  var saved = parseInt(bar.dataset.saved, 10) || 0;
  var timer = null;
  function state() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    return params;
  }
  var initial = state().toString();
  function pct(points) { return Math.max(0, Math.min(100, (points * 100) / threshold)); }
  function showPending(total, changed) {
    if (!changed) {
      pending.classList.add("d-none");
      pendingBar.classList.add("d-none");
      savedBar.style.width = pct(saved) + "%";
      return;
    }
    pending.textContent = form.dataset.pendingText
      .replace("%(total)s", total.toLocaleString(document.documentElement.lang || "it"))
      .replace("%(threshold)s", threshold.toLocaleString(document.documentElement.lang || "it"));
    pending.classList.remove("d-none");
    savedBar.style.width = pct(Math.min(saved, total)) + "%";
    pendingBar.style.width = Math.max(0, pct(total) - pct(saved)) + "%";
    pendingBar.classList.toggle("d-none", total <= saved);
  }
  function refresh() {
    var params = state();
    var changed = params.toString() !== initial;
    fetch(form.dataset.previewUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        showPending(data.total, changed);
        form.querySelectorAll("[data-code]").forEach(function (box) {
          var line = data.lines[box.dataset.code];
          var errors = line ? line.errors : [];
          box.textContent = "";
          errors.forEach(function (e) { var d = document.createElement("div"); d.textContent = e; box.appendChild(d); });
          box.classList.toggle("d-none", errors.length === 0);
          var card = box.closest(".ot24-intervention");
          if (card) { card.classList.toggle("has-error", errors.length > 0); }
        });
      });
  }
  form.addEventListener("change", function (event) {
    var card = event.target.closest(".ot24-intervention");
    if (card) {
      var main = card.querySelector("input[name^=sel_]");
      card.classList.toggle("is-selected", !!(main && main.checked));
    }
    clearTimeout(timer); timer = setTimeout(refresh, 150);
  });
})();
