// A checkbox marked data-select-all="NAME" ticks or clears every checkbox named NAME in its form, and
// shows "some selected" (indeterminate) when only part of them are ticked.
(function () {
  function boxes(master) {
    return Array.prototype.slice.call(master.form.querySelectorAll('input[type=checkbox][name="' + master.getAttribute("data-select-all") + '"]'));
  }
  function sync(master) {
    var all = boxes(master), ticked = all.filter(function (b) { return b.checked; }).length;
    master.checked = all.length > 0 && ticked === all.length;
    master.indeterminate = ticked > 0 && ticked < all.length;
  }
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      boxes(master).forEach(function (b) { b.checked = master.checked; });
    });
    boxes(master).forEach(function (b) { b.addEventListener("change", function () { sync(master); }); });
    sync(master);
  });
})();
