// The dashboard's charts: each <div data-chart data-src> is filled from its JSON endpoint (views/dashboard.py)
// with the bundled ECharts. The same JSON is the chart's download; nothing here computes a figure.
"use strict";
(function () {
  const COLORS = ["#0b5cad", "#2da44e", "#8250df", "#d4a72c", "#cf222e", "#57606a", "#1b7c83", "#bf3989"];

  function column(data, name) {
    const i = data.columns.indexOf(name);
    return data.rows.map(function (row) { return row[i]; });
  }

  function base(data) {
    return { color: COLORS, animation: false, tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
             grid: { left: 56, right: 24, top: 40, bottom: 40, containLabel: true } };
  }

  function bars(data, names, stackName) {
    const option = base(data);
    option.xAxis = { type: "category", data: column(data, "year").map(String) };
    option.yAxis = { type: "value", minInterval: 1 };
    option.series = names.map(function (name) {
      const s = { name: data.labels[name], type: "bar", data: column(data, name) };
      if (stackName) { s.stack = stackName; }
      return s;
    });
    return option;
  }

  const BUILD = {
    applications: function (data) {
      const option = bars(data, ["granted", "partially_granted", "withheld", "unable", "rejected"], "outcome");
      option.series.unshift({ name: data.labels.received, type: "line", data: column(data, "received"), z: 3 });
      return option;
    },
    corrections: function (data) {
      const option = base(data);
      option.xAxis = { type: "category", data: column(data, "year").map(String) };
      option.yAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
      option.tooltip.valueFormatter = function (v) { return v === null || v === undefined ? "—" : v + "%"; };
      option.series = ["review_corrected", "litigation_corrected"].map(function (name) {
        return { name: data.labels[name], type: "line", connectNulls: false,
                 data: column(data, name).map(function (v) { return v === null ? null : Math.round(v * 10000) / 100; }) };
      });
      return option;
    },
    findings: function (data) {
      const option = base(data);
      const codes = column(data, "code").slice().reverse();
      option.tooltip = { trigger: "axis", axisPointer: { type: "shadow" } };
      option.grid.left = 8;
      option.xAxis = { type: "value", minInterval: 1 };
      option.yAxis = { type: "category", data: codes };
      option.series = ["count", "reports"].map(function (name) {
        return { name: data.labels[name], type: "bar", data: column(data, name).slice().reverse() };
      });
      return option;
    },
    submissions: function (data) {
      return bars(data, ["submitted", "late", "missing"], null);
    },
  };

  function draw(element) {
    const chart = element.getAttribute("data-chart");
    fetch(element.getAttribute("data-src"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        return response.json();
      })
      .then(function (data) {
        const view = window.echarts.init(element, null, { renderer: "canvas" });
        view.setOption(BUILD[chart](data));
        element.setAttribute("data-ready", "1");
        element.setAttribute("data-rows", String(data.rows.length));
        window.addEventListener("resize", function () { view.resize(); });
      })
      .catch(function (error) {
        element.textContent = String(error.message || error);
        element.setAttribute("data-error", "1");
      });
  }

  document.querySelectorAll("[data-chart][data-src]").forEach(draw);
})();
