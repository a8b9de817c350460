// Evidence uploads: several files at once, chosen or dropped on the item, each sent on its own with its
// own progress bar, one after another (a queue for the whole page: the server records one file while the
// next waits its turn); no page reload. A file refused for a passing reason (the server busy, the network
// gone) keeps its row with the reason and a "Riprova" button that puts it back in the queue. Each file goes as the request's raw body (application/octet-stream,
// CSRF token in the X-CSRFToken header) to the form's data-raw-url, which stores it without parsing a
// multipart body; where that request fails before anything is sent, the file goes as a one-file form to
// data-json-url. XMLHttpRequest rather than fetch: fetch reports no upload progress. Without JavaScript
// the form posts all the chosen files to the evidence step, which stores them and reloads the page.
(function () {
  if (!window.XMLHttpRequest || !window.FormData) { return; }
  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function fileRow(form, file) {
    var li = element("li");
    var link = element("a", { href: file.download_url }, file.name);
    li.appendChild(link);
    li.appendChild(document.createTextNode(" — " + file.size + " — "));
    li.appendChild(element("code", { title: "SHA-256" }, file.sha256.slice(0, 15) + "…"));
    var remove = element("form", { method: "post", action: file.remove_url, "class": "d-inline",
                                   "data-confirm": form.dataset.confirmRemove + " " + file.name });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").cloneNode();
    remove.appendChild(token);
    remove.appendChild(document.createTextNode(" "));
    remove.appendChild(element("button", { type: "submit", "class": "btn btn-link btn-sm p-0 text-danger" }, form.dataset.removeText));
    li.appendChild(remove);
    return li;
  }
  function send(form, file) {
    var list = form.querySelector(".ot24-upload-list");
    var row = element("li", { "class": "d-flex flex-wrap align-items-center gap-2" });
    var name = element("span", {}, file.name);
    var bar = element("progress", { max: "100", value: "0", "class": "ot24-file-progress" });
    bar.setAttribute("aria-label", file.name);
    var status = element("span", { role: "status" });
    row.appendChild(name); row.appendChild(bar); row.appendChild(status);
    list.appendChild(row);
    var maxBytes = parseInt(form.dataset.maxFileBytes || "0", 10);
    if (maxBytes && file.size > maxBytes) {  // the server would refuse it unread: say so without sending it
      bar.remove(); row.classList.add("text-danger"); status.textContent = form.dataset.tooBigText;
      return;
    }
    status.textContent = form.dataset.waitingText || "";
    enqueue(function (done) { upload(form, file, row, bar, status, !!form.dataset.rawUrl, done); });
  }
  var queue = [], busy = false;
  function enqueue(job) { queue.push(job); pump(); }
  function pump() {
    if (busy || !queue.length) { return; }
    busy = true;
    queue.shift()(function () { busy = false; pump(); });
  }
  function failed(form, file, row, bar, status, message, retry) {
    bar.remove();
    row.classList.add("text-danger");
    status.textContent = message;
    if (retry) {
      var again = element("button", { type: "button", "class": "btn btn-outline-secondary btn-sm" }, form.dataset.retryText);
      again.addEventListener("click", function () {
        again.remove(); row.classList.remove("text-danger");
        bar = element("progress", { max: "100", value: "0", "class": "ot24-file-progress" });
        bar.setAttribute("aria-label", file.name);
        row.insertBefore(bar, status);
        status.textContent = form.dataset.waitingText || "";
        enqueue(function (done) { upload(form, file, row, bar, status, !!form.dataset.rawUrl, done); });
      });
      row.appendChild(again);
    }
  }
  function upload(form, file, row, bar, status, raw, done) {
    status.textContent = "";
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var itemId = form.querySelector("input[name=evidence_item]").value;
    var xhr = new XMLHttpRequest();
    var started = false;
    if (raw) {
      xhr.open("POST", form.dataset.rawUrl + "?item=" + encodeURIComponent(itemId) + "&name=" + encodeURIComponent(file.name));
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
    } else {
      xhr.open("POST", form.dataset.jsonUrl);
    }
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.loaded > 0) { started = true; }
      if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
    });
    xhr.addEventListener("load", function () {
      form.setAttribute("data-sent-as", raw ? "raw" : "form");
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = null; }
      if (xhr.status === 201 && answer) {
        row.remove();
        var item = form.closest("li[id^=item-]");
        item.querySelector(".ot24-files").appendChild(fileRow(form, answer.file));
        var mark = item.querySelector(".ot24-item-mark");
        if (mark && mark.textContent.charAt(0) !== "✔") { mark.textContent = "✔" + mark.textContent.slice(1); }
        if (answer.intervention_complete) {
          var badge = form.closest("section").querySelector(".ot24-ev-badge");
          if (badge) { badge.className = "badge bg-success ot24-ev-badge"; badge.textContent = form.dataset.completeText; }
        }
      } else {
        // The server's reason; without one (an error page, a proxy's answer) the generic text. A passing
        // failure (retry, or any 5xx) is offered again.
        failed(form, file, row, bar, status, (answer && answer.error) || form.dataset.failedText,
               (answer && answer.retry) || xhr.status >= 500 || !answer);
      }
      done();
    });
    xhr.addEventListener("error", function () {
      if (raw && !started) { upload(form, file, row, bar, status, false, done); return; }  // nothing sent: as a form
      failed(form, file, row, bar, status, form.dataset.failedText + ": " + form.dataset.offlineText, true);
      done();
    });
    if (raw) {
      xhr.send(file);
    } else {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("evidence_item", itemId);
      data.append("file", file, file.name);
      xhr.send(data);
    }
  }
  document.querySelectorAll("form.ot24-upload[data-json-url]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.closest("li") || form;
    function sendAll(files) { Array.prototype.forEach.call(files, function (file) { send(form, file); }); }
    form.classList.add("ot24-drop");
    var hint = element("span", { "class": "small text-muted" }, form.dataset.dropText);
    form.insertBefore(hint, input);
    input.addEventListener("change", function () { if (input.files.length) { sendAll(input.files); input.value = ""; } });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.files.length) { sendAll(input.files); input.value = ""; } else { input.click(); }
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); form.classList.add("is-over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); form.classList.remove("is-over"); });
    });
    zone.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) { sendAll(event.dataTransfer.files); }
    });
  });
})();
