// The signature step: the field for the signed PDF appears as soon as the PDF to sign is downloaded (the
// download does not reload the page); without JavaScript the field is always shown.
(function () {
  var download = document.getElementById("qualified-download");
  var fields = document.getElementById("signed-upload-fields");
  if (!download || !fields || !fields.classList.contains("ot24-after-download")) { return; }
  fields.classList.add("d-none");
  download.addEventListener("click", function () {
    setTimeout(function () {
      fields.classList.remove("d-none");
      var input = document.getElementById("signed-pdf");
      if (input) { input.focus(); }
    }, 300);
  });
})();
