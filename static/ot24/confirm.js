// Forms (or their submit buttons) marked data-confirm ask before doing something that cannot be undone:
// only when the form would pass its own checks (otherwise the server explains what is missing and nothing
// is asked), only for the button that carries the question (a download never asks), and once: the button
// is disabled while the request runs, so a double click sends nothing twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.getAttribute) { return; }
  var submitter = event.submitter || null;
  var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (!message) { return; }
  if (submitter && submitter.hasAttribute("formaction") && !submitter.getAttribute("data-confirm")) { return; }
  if (form.getAttribute("data-confirmed") === "1") { event.preventDefault(); return; }
  if (typeof form.checkValidity === "function" && !form.checkValidity()) { return; }
  if (!window.confirm(message)) { event.preventDefault(); event.stopImmediatePropagation(); return; }
  form.setAttribute("data-confirmed", "1");
  if (submitter) { setTimeout(function () { submitter.disabled = true; }, 0); }
}, true);
// Back to a page kept by the browser's cache: the forms can be sent again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-confirmed]").forEach(function (form) { form.removeAttribute("data-confirmed"); });
  document.querySelectorAll("[data-confirm]:disabled").forEach(function (button) {
    if (button.tagName === "BUTTON" && !button.hasAttribute("data-keep-disabled")) { button.disabled = false; }
  });
});
