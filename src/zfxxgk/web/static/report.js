// zfxxgk web: the report page. A click on a table cell opens the source panel: the page image with the cell's
// box (PDF, scan), or the printed line and its neighbours (text). Finding cell names point at the table cells.
"use strict";
(function () {
  const panel = document.getElementById("source-panel");
  if (!panel) { return; }
  const $ = function (id) { return document.getElementById(id); };

  function clearMarks() {
    document.querySelectorAll("td.flash").forEach(function (td) { td.classList.remove("flash"); });
    document.querySelectorAll(".finding.active").forEach(function (f) { f.classList.remove("active"); });
  }

  function showBox(data) {
    const view = $("source-page"), img = $("source-image"), box = $("source-box");
    view.hidden = false;
    box.hidden = true;
    img.onload = function () {
      // The box is in points from the page's top-left; the image shows the whole page at any size.
      box.style.left = (100 * data.box[0] / data.page_width) + "%";
      box.style.top = (100 * data.box[1] / data.page_height) + "%";
      box.style.width = (100 * (data.box[2] - data.box[0]) / data.page_width) + "%";
      box.style.height = (100 * (data.box[3] - data.box[1]) / data.page_height) + "%";
      box.hidden = false;
      box.scrollIntoView({ block: "center", behavior: "smooth" });
    };
    img.alt = data.where || "";
    img.setAttribute("data-page", String(data.page));
    if (img.getAttribute("src") === data.image && img.complete) { img.onload(); } else { img.src = data.image; }
  }

  function showLines(lines) {
    const pre = $("source-lines");
    pre.textContent = "";
    lines.forEach(function (line) {
      const row = document.createElement("span");
      row.className = line.current ? "line current" : "line";
      row.setAttribute("data-line", String(line.n));
      row.textContent = String(line.n).padStart(5, " ") + "  " + line.text + "\n";
      pre.appendChild(row);
    });
    pre.hidden = false;
  }

  function showRow(row) {
    // A Word or HTML table row as printed, the cell's own text marked.
    const pre = $("source-lines");
    pre.textContent = "";
    row.cells.forEach(function (text, i) {
      const part = document.createElement("span");
      part.className = i === row.current ? "cell current" : "cell";
      part.textContent = text;
      if (i > 0) { pre.appendChild(document.createTextNode(" │ ")); }
      pre.appendChild(part);
    });
    pre.hidden = false;
  }

  async function openSource(reportId, cellId) {
    let data;
    try {
      data = await window.zfxxgk.api("GET", "/reports/" + reportId + "/cells/" + encodeURIComponent(cellId) + "/source");
    } catch (err) {
      return;
    }
    panel.hidden = false;
    panel.setAttribute("data-cell", cellId);
    $("source-name").textContent = data.name;
    $("source-where").textContent = data.where || panel.getAttribute("data-no-source");
    $("source-raw").textContent = panel.getAttribute("data-raw-label") + (data.raw === null ? "—" : data.raw);
    $("source-page").hidden = true;
    $("source-lines").hidden = true;
    const note = $("source-note");
    note.hidden = true;
    if (data.image) {
      showBox(data);
    } else if (data.lines && data.lines.length) {
      showLines(data.lines);
    } else if (data.row) {
      showRow(data.row);
    } else if (!data.file_kept) {
      note.textContent = panel.getAttribute("data-no-file");
      note.hidden = false;
    }
  }

  document.addEventListener("click", function (event) {
    const td = event.target.closest("td[data-cell]");
    if (td) {
      const wrap = td.closest("[data-report]");
      clearMarks();
      td.classList.add("flash");
      (td.getAttribute("data-findings") || "").split(" ").forEach(function (id) {
        const f = id && document.getElementById("finding-" + id);
        if (f) { f.classList.add("active"); }
      });
      openSource(wrap.getAttribute("data-report"), td.getAttribute("data-cell"));
      return;
    }
    const link = event.target.closest("[data-cell-link]");
    if (link) {
      event.preventDefault();
      const cell = document.querySelector('#tables td[data-cell="' + link.getAttribute("data-cell-link") + '"]');
      if (cell) { cell.scrollIntoView({ block: "center" }); cell.click(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    const td = event.target.closest && event.target.closest("td[data-cell]");
    if (td && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); td.click(); }
  });
  $("source-close").addEventListener("click", function () { panel.hidden = true; clearMarks(); });
})();
