// zfxxgk web: an upload's page follows its jobs (GET /api/v1/jobs?batch=…) every second until all are finished.
"use strict";
(function () {
  const box = document.getElementById("job");
  if (!box) { return; }
  const batch = box.getAttribute("data-batch");
  const fill = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  };
  const span = function (cls, text) {
    const el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    return el;
  };
  const result = function (cell, job) {
    cell.textContent = "";
    if (job.outcome_text) { cell.appendChild(span("job-outcome", job.outcome_text)); }
    if (job.report_id !== null) {
      const link = document.createElement("a");
      link.className = "job-report";
      link.href = "/reports/" + job.report_id;
      link.textContent = box.getAttribute("data-open-text");
      cell.append(" ", link, " ", span("job-counts", fill(box.getAttribute("data-counts"),
                                                            { errors: job.errors, warnings: job.warnings })));
    }
    if (job.message) { cell.append(" ", span("job-message sev-error", job.message)); }
  };
  const show = function (jobs) {
    let finished = 0;
    jobs.forEach(function (job) {
      const row = box.querySelector('tr[data-job-id="' + job.id + '"]');
      if (job.state === "done" || job.state === "failed") { finished += 1; }
      if (!row || row.getAttribute("data-state") === job.state) { return; }
      row.setAttribute("data-state", job.state);
      const state = row.querySelector(".job-state");
      state.className = "job-state state-" + job.state;
      state.textContent = job.state_text;
      result(row.querySelector(".job-result"), job);
    });
    const total = jobs.length;
    box.setAttribute("data-finished", String(finished));
    document.getElementById("job-progress").value = finished;
    document.getElementById("job-count").textContent = fill(box.getAttribute("data-progress"), { done: finished, total: total });
    document.getElementById("job-status").textContent =
      box.getAttribute(finished === total ? "data-finished-text" : "data-waiting");
    return finished === total;
  };
  const poll = async function () {
    try {
      const jobs = await window.zfxxgk.api("GET", "/api/v1/jobs?batch=" + encodeURIComponent(batch) + "&limit=1000");
      if (show(jobs)) { return; }
    } catch (err) {
      document.getElementById("job-status").textContent = String(err.message || err);
    }
    window.setTimeout(poll, 1000);
  };
  if (box.getAttribute("data-finished") !== box.getAttribute("data-total")) { window.setTimeout(poll, 1000); }
})();
