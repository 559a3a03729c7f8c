// Optional comfort on the upload page (the page works without it): drag and drop onto the file
// field, and a busy state while the file is sent.
(function () {
  document.documentElement.classList.add("js");
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var form = document.getElementById("upload-form");
  if (drop && input) {
    ["dragenter", "dragover"].forEach(function (e) {
      drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (e) {
      drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (ev) {
      if (ev.dataTransfer && ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; }
    });
  }
  if (form) {
    form.addEventListener("submit", function () {
      var button = document.getElementById("upload-button");
      var bar = document.getElementById("upload-progress");
      if (button) { button.textContent = button.getAttribute("data-busy"); button.disabled = true; }
      if (bar) { bar.hidden = false; }
    });
  }
})();
