// The report's behaviour: loads each document's targets when it comes into view (or all of
// them for a small batch), filters rows by status, document and text, links each row to its
// source, and copies a ready raw/corrections.csv line. Filters live in the URL fragment
// (#status=review&doc=a.txt&q=GRDP) so a view can be bookmarked.
(function () {
  "use strict";
  var body = document.body;
  var RAW = body.dataset.raw || "";
  var EAGER_ROWS = Number(body.dataset.eagerRows || 0);
  var TOTAL = Number(body.dataset.targets || 0);
  var NOTES = JSON.parse(document.getElementById("note-meanings").textContent);
  var FIELDS = JSON.parse(document.getElementById("correctable-fields").textContent);
  var STATUS_VI = { ok: "ổn", review: "cần xem lại", unparsed: "chưa đọc được" };
  var MAX_LOADING = 6;

  var sections = Array.prototype.slice.call(document.querySelectorAll("section.doc"));
  var summary = {};
  Array.prototype.forEach.call(document.querySelectorAll("tr[data-summary]"), function (tr) {
    summary[tr.dataset.doc] = tr;
  });
  var bySource = {};
  sections.forEach(function (sec) { bySource[sec.dataset.doc] = sec; });
  var statusEl = document.getElementById("filter-status");
  var docEl = document.getElementById("filter-doc");
  var textEl = document.getElementById("filter-text");
  var countEl = document.getElementById("filter-count");

  var loaded = {};   // source -> [{row, text, tr}]
  var queued = {};
  var queue = [];
  var loading = 0;

  function esc(v) {
    return v == null ? "" : String(v).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // 177000 → 177.000, as the page writes numbers
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function norm(s) { return String(s).normalize("NFC").toLowerCase(); }

  // --- loading on demand ------------------------------------------------------------------
  function request(sec) {
    var src = sec.dataset.doc;
    if (!sec.dataset.file || loaded[src] || queued[src]) { return; }
    queued[src] = true;
    queue.push(sec);
    pump();
  }
  function pump() {
    while (loading < MAX_LOADING && queue.length) {
      var sec = queue.shift();
      var script = document.createElement("script");
      script.src = sec.dataset.file;
      script.onload = script.onerror = function (event) {
        loading--;
        if (event.type === "error") { markFailed(this.dataset.doc); }
        this.remove();
        pump();
      };
      script.dataset.doc = sec.dataset.doc;
      loading++;
      document.head.appendChild(script);
    }
  }
  function markFailed(src) {
    var tbody = bySource[src] && bySource[src].querySelector("tbody");
    if (tbody && !loaded[src]) {
      tbody.innerHTML = '<tr class="placeholder"><td colspan="11" class="error">Không tải được ' +
        esc(bySource[src].dataset.file) + ": hãy giữ thư mục report_files bên cạnh report.html.</td></tr>";
    }
  }

  window.chitieu = {
    load: function (data) {
      var sec = bySource[data.source];
      if (!sec || loaded[data.source]) { return; }
      var items = data.rows.map(function (values) {
        var row = {};
        data.cols.forEach(function (c, i) { row[c] = values[i]; });
        var text = [row.name, row.target_text, row.reading, row.agency, row.section_title,
                    row.number, row.where, row.notes].filter(Boolean).join(" ");
        return { row: row, text: norm(text) };
      });
      var tbody = sec.querySelector("tbody");
      tbody.innerHTML = items.map(function (item) { return rowHtml(data.source, item.row); }).join("");
      Array.prototype.forEach.call(tbody.rows, function (tr, i) { items[i].tr = tr; });
      loaded[data.source] = items;
      scheduleApply();
    }
  };

  // --- a target row -----------------------------------------------------------------------
  function sourceHref(source, page) {
    var path = source.split("/").map(encodeURIComponent).join("/");
    return (RAW ? RAW + "/" : "") + path + (page != null ? "#page=" + page : "");
  }
  function notesHtml(notes) {
    if (!notes) { return ""; }
    return '<ul class="notes">' + notes.split(";").filter(Boolean).map(function (code) {
      var meaning = NOTES[code];
      if (meaning == null && code.indexOf(":") > 0 && code.indexOf("corrected:") !== 0) {
        meaning = NOTES[code.slice(0, code.indexOf(":"))];  // a note with its value: ocr_confidence:0.96
      }
      if (meaning == null && code.indexOf("corrected:") === 0) {
        meaning = "đã sửa tay trường " + code.slice(10) + " (raw/corrections.csv)";
      }
      return '<li title="' + esc(code) + '"><code>' + esc(code) + "</code> " + esc(meaning || "") + "</li>";
    }).join("") + "</ul>";
  }
  function rowHtml(source, r) {
    var status = r.status || "";
    var cells = [
      ["n", esc(r.seq)],
      ["", r.section_title ? '<span title="' + esc(r.section_title) + '">' + esc(r.section) + "</span>" : esc(r.section)],
      ["", esc(r.number)],
      [r.parent_seq != null ? "name sub" : "name", esc(r.name)],
      ["", esc(r.target_text)],
      ["reading", esc(r.reading)],
      ["", esc(r.agency)],
      ["src", '<a class="source" href="' + esc(sourceHref(source, r.page)) + '" target="_blank">' +
              esc(r.where || "mở văn bản") + "</a>"],
      ["", '<span class="badge">' + esc(STATUS_VI[status] || status) + "</span>"],
      ["", notesHtml(r.notes)],
      ["fix", '<button type="button" class="copy" title="Chép một dòng cho raw/corrections.csv" data-line="' +
              esc(correctionLine(source, r, defaultFix(r))) + '">Chép dòng sửa</button>'],
    ];
    return '<tr class="status-' + esc(status) + '" data-status="' + esc(status) + '" data-doc="' + esc(source) +
      '" data-seq="' + esc(r.seq) + '">' + cells.map(function (c) {
        return c[0] ? '<td class="' + c[0] + '">' + c[1] + "</td>" : "<td>" + c[1] + "</td>";
      }).join("") + "</tr>";
  }

  // --- corrections ------------------------------------------------------------------------
  // A value written the way raw/corrections.csv reads it: '.' decimals, true/false, empty null.
  function csvValue(v) {
    if (v == null) { return ""; }
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (typeof v === "number") {
      if (Number.isInteger(v) && Math.abs(v) < 1e21) { return BigInt(v).toString(); }
      var text = String(v);
      if (/e/i.test(text)) { text = v.toFixed(20).replace(/0+$/, "").replace(/\.$/, ""); }
      return text;
    }
    return String(v);
  }
  function csvCell(text) {
    text = String(text);
    return /[",\r\n]|^\s|\s$/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  // What a reviewer most often writes: a review row checked and right; else the first bound.
  function defaultFix(r) {
    if (r.status === "review") { return { field: "status", value: "ok", note: "đã đối chiếu với văn bản" }; }
    if (r.target_type === "numeric") { return { field: "value_low", value: csvValue(r.value_low), note: "" }; }
    return { field: "target_type", value: csvValue(r.target_type), note: "" };
  }
  function correctionLine(source, r, fix) {
    return [source, csvValue(r.seq), r.name || "", fix.field, fix.value, fix.note].map(csvCell).join(",");
  }
  function copyText(text, button) {
    function done() {
      button.classList.add("done");
      var label = button.textContent;
      button.textContent = "Đã chép";
      setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 1200);
    }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); } catch (e) { /* the line stays shown to copy by hand */ }
      area.remove();
      done();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }
  function itemOf(tr) {
    var items = loaded[tr.dataset.doc] || [];
    for (var i = 0; i < items.length; i++) { if (items[i].tr === tr) { return items[i]; } }
    return null;
  }
  function openEditor(tr) {
    var old = document.querySelector("tr.editor");
    if (old) {
      var same = old.previousElementSibling === tr;
      old.remove();
      if (same) { return; }
    }
    var item = itemOf(tr);
    if (!item) { return; }
    var r = item.row, source = tr.dataset.doc, fix = defaultFix(r);
    var editor = document.createElement("tr");
    editor.className = "editor";
    editor.innerHTML = '<td colspan="11"><label>Trường <select class="field">' +
      FIELDS.map(function (f) { return '<option value="' + f + '">' + f + "</option>"; }).join("") +
      '</select></label><label>Giá trị <input class="value" size="24"></label>' +
      '<label>Ghi chú <input class="note" size="30"></label>' +
      '<button type="button" class="copy">Chép</button>' +
      '<output class="line"></output></td>';
    var field = editor.querySelector(".field"), value = editor.querySelector(".value");
    var note = editor.querySelector(".note"), line = editor.querySelector(".line");
    field.value = fix.field;
    value.value = fix.value;
    note.value = fix.note;
    function update() {
      line.textContent = correctionLine(source, r, { field: field.value, value: value.value.trim(), note: note.value.trim() });
    }
    field.addEventListener("change", function () { value.value = csvValue(r[field.value]); update(); });
    value.addEventListener("input", update);
    note.addEventListener("input", update);
    editor.querySelector("button").addEventListener("click", function () { copyText(line.textContent, this); });
    update();
    tr.after(editor);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("tr[data-status] button.copy");
    if (!button) { return; }
    copyText(button.dataset.line, button);
    openEditor(button.closest("tr"));
  });

  // --- filters ----------------------------------------------------------------------------
  var applyPending = false;
  function scheduleApply() {
    if (applyPending) { return; }
    applyPending = true;
    requestAnimationFrame(function () { applyPending = false; apply(); });
    setTimeout(function () { if (applyPending) { applyPending = false; apply(); } }, 50);
  }
  function apply() {
    var s = statusEl.value, d = docEl.value, qRaw = textEl.value.trim(), q = norm(qRaw);
    var shown = 0, pending = 0;
    sections.forEach(function (sec) {
      var src = sec.dataset.doc;
      var counts = { ok: +sec.dataset.ok, review: +sec.dataset.review, unparsed: +sec.dataset.unparsed };
      var visible = !d || d === src;
      if (visible && s) { visible = counts[s] > 0; }
      var items = loaded[src];
      if (items) {
        var n = 0;
        items.forEach(function (item) {
          var match = visible && (!s || item.row.status === s) && (!q || item.text.indexOf(q) >= 0);
          item.tr.hidden = !match;
          if (match) { n++; }
        });
        var editor = sec.querySelector("tr.editor");
        if (editor && editor.previousElementSibling.hidden) { editor.remove(); }
        if (q) { visible = visible && (n > 0 || norm(src).indexOf(q) >= 0); }
        shown += visible ? n : 0;
      } else if (visible) {
        if (q && sec.dataset.file) {
          pending++;
          request(sec);  // a search reads every document, a few at a time
        } else if (q) {
          visible = norm(src).indexOf(q) >= 0;
        } else {
          shown += s ? counts[s] : counts.ok + counts.review + counts.unparsed;
        }
      }
      sec.hidden = !visible;
      if (summary[src]) { summary[src].hidden = !visible; }
    });
    // the scorecard follows the same document filter and search (a status is the targets' own)
    Array.prototype.forEach.call(document.querySelectorAll("#scorecard tr[data-indicator]"), function (tr) {
      var docs = (tr.dataset.sources || "").split("|");
      tr.hidden = !((!d || docs.indexOf(d) >= 0) && (!q || norm(tr.textContent).indexOf(q) >= 0));
    });
    countEl.textContent = thousands(shown) + " / " + thousands(TOTAL) + " chỉ tiêu" +
      (pending ? " (đang tìm trong " + pending + " văn bản…)" : "");
    var p = new URLSearchParams();
    if (s) { p.set("status", s); }
    if (d) { p.set("doc", d); }
    if (qRaw) { p.set("q", qRaw); }
    var hash = p.toString();
    if ((hash || isFilterHash(location.hash)) && location.hash.slice(1) !== hash) {
      try { history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search); } catch (e) { /* file:// in some browsers */ }
    }
  }
  function fromHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    statusEl.value = p.get("status") || "";
    docEl.value = p.get("doc") || "";
    textEl.value = p.get("q") || "";
    apply();
  }
  [statusEl, docEl].forEach(function (el) { el.addEventListener("change", apply); });
  var typing = null;
  textEl.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(apply, 150); });
  // #doc-3 is a jump to a document, not a filter
  function isFilterHash(hash) { return !hash || hash === "#" || /^#(status|doc|q)=/.test(hash); }
  window.addEventListener("hashchange", function () { if (isFilterHash(location.hash)) { fromHash(); } });

  // --- start ------------------------------------------------------------------------------
  if (TOTAL <= EAGER_ROWS) {
    sections.forEach(request);
  } else if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { request(entry.target); observer.unobserve(entry.target); }
      });
    }, { rootMargin: "1500px 0px" });
    sections.forEach(function (sec) { if (sec.dataset.file) { observer.observe(sec); } });
  } else {
    sections.forEach(request);
  }
  if (isFilterHash(location.hash)) { fromHash(); } else { apply(); }
})();
