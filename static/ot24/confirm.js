// Forms marked data-confirm ask before doing something that cannot be undone.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); event.stopImmediatePropagation(); }
}, true);
