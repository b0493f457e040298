// zfxxgk web: the report form (draft.html). Every change is checked by the server (POST …/check, the CLI's
// rules) about 400 ms after the last keystroke; the findings are listed and their cells highlighted.
"use strict";
(function () {
  const form = document.getElementById("draft-form");
  const panel = document.getElementById("draft-check");
  if (!form || !panel) { return; }
  const status = document.getElementById("draft-check-status");
  const counts = document.getElementById("draft-counts");
  const list = document.getElementById("draft-findings");
  const url = form.getAttribute("data-check-url");
  const writable = form.getAttribute("data-writable") === "true";
  const RANK = { error: 0, warning: 1, info: 2 };
  let timer = null;
  let sequence = 0;

  function collect() {
    const data = { sections: {}, cells: {} };
    form.querySelectorAll("textarea[data-section]").forEach(function (el) {
      data.sections[el.getAttribute("data-section")] = el.value;
    });
    form.querySelectorAll("input[data-cell]").forEach(function (el) {
      data.cells[el.getAttribute("data-cell")] = el.value;
    });
    return data;
  }

  function cellInput(id) {
    return form.querySelector('input[data-cell="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]');
  }

  function show(result) {
    form.querySelectorAll("td.value").forEach(function (td) {
      td.classList.remove("hl-error", "hl-warning", "hl-info");
      td.removeAttribute("data-findings");
    });
    list.textContent = "";
    const worst = {};
    result.findings.forEach(function (f) {
      const li = document.createElement("li");
      li.className = "finding severity-" + f.severity;
      li.setAttribute("data-code", f.code);
      li.setAttribute("data-cells", f.cells.join(" "));
      const head = document.createElement("strong");
      head.className = "sev sev-" + f.severity;
      head.textContent = f.code;
      const message = document.createElement("p");
      message.className = "message";
      message.textContent = f.message;
      li.appendChild(head);
      li.appendChild(message);
      if (f.cells.length) {
        li.classList.add("has-cells");
        li.addEventListener("click", function () {
          const first = cellInput(f.cells[0]);
          if (first) { first.focus(); first.scrollIntoView({ block: "center" }); }
        });
      }
      list.appendChild(li);
      f.cells.forEach(function (id) {
        if (!(id in worst) || RANK[f.severity] < RANK[worst[id]]) { worst[id] = f.severity; }
      });
    });
    Object.keys(worst).forEach(function (id) {
      const input = cellInput(id);
      if (input && input.parentElement) {
        input.parentElement.classList.add("hl-" + worst[id]);
        input.parentElement.setAttribute("data-findings", worst[id]);
      }
    });
    const c = result.counts;
    counts.textContent = (panel.getAttribute("data-counts") || "")
      .replace("{errors}", c.error).replace("{warnings}", c.warning).replace("{infos}", c.info);
    status.textContent = result.findings.length ? "" : panel.getAttribute("data-none");
    panel.setAttribute("data-state", "done");
    panel.setAttribute("data-sequence", String(sequence));
  }

  async function check() {
    const mine = ++sequence;
    panel.setAttribute("data-state", "checking");
    status.textContent = panel.getAttribute("data-checking");
    try {
      const result = await window.zfxxgk.api("POST", url, collect());
      if (mine === sequence) { show(result); }
    } catch (err) {
      if (mine === sequence) {
        status.textContent = panel.getAttribute("data-failed") + " " + err.message;
        panel.setAttribute("data-state", "failed");
      }
    }
  }

  function later() {
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; check(); }, 400);
  }

  if (writable) {
    form.addEventListener("input", later);
    check();
  } else {
    status.textContent = "";
  }
})();
