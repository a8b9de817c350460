// Section steps: ask the server's scoring engine for the total as currently ticked, and show each
// intervention's refusal next to it before saving. Nothing is saved until the form is submitted.
(function () {
  var form = document.getElementById("section-form");
  if (!form || !window.fetch) { return; }
  var label = document.getElementById("running-total-label");
  var timer = null;
  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    fetch(form.dataset.previewUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        label.textContent = data.label;
        form.querySelectorAll("[data-code]").forEach(function (box) {
          var line = data.lines[box.dataset.code];
          var errors = line ? line.errors : [];
          box.textContent = "";
          errors.forEach(function (e) { var d = document.createElement("div"); d.textContent = e; box.appendChild(d); });
          box.classList.toggle("d-none", errors.length === 0);
        });
      });
  }
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
})();
