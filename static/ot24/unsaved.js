// Forms marked data-unsaved-warning: leaving the page with changes not saved asks first, once (closing or
// reloading the tab through the browser's own prompt, links in the page through the form's message).
(function () {
  var forms = document.querySelectorAll("form[data-unsaved-warning]");
  if (!forms.length) { return; }
  var dirty = null;
  function state(form) {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    return params.toString();
  }
  forms.forEach(function (form) {
    var initial = state(form);
    function check() { dirty = state(form) !== initial ? form : (dirty === form ? null : dirty); }
    form.addEventListener("change", check);
    form.addEventListener("input", check);
    form.addEventListener("submit", function () { dirty = null; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  document.addEventListener("click", function (event) {
    if (!dirty || event.defaultPrevented) { return; }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target === "_blank" || link.hasAttribute("download")) { return; }
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#") { return; }
    if (window.confirm(dirty.getAttribute("data-unsaved-warning"))) { dirty = null; } else { event.preventDefault(); }
  });
})();
