// "Aggiungi un'altra PAT": adds an empty row of a Django formset from its <template> (the page already
// has spare empty rows without JavaScript). The button stays hidden when scripts do not run.
document.querySelectorAll("[data-formset-add]").forEach(function (button) {
  var prefix = button.getAttribute("data-formset-add");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  var template = document.getElementById("pat-empty-row");
  var rows = document.getElementById("pat-rows");
  if (!total || !template || !rows) { return; }
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) { button.disabled = true; return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    var legend = added.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.trim() + " " + (index + 1); }
    var first = added.querySelector("input:not([type=hidden])");
    if (first) { first.focus(); }
  });
});
