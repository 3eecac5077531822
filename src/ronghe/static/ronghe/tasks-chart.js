// 挂图作战: a plan's Gantt chart, drawn with ECharts' custom series from the data the page embeds
// (json_script). One row per task: a bar from start to the deadline in force, coloured by its
// light and filled to its percent complete; a thin dark bar to the original deadline when an
// extension moved it; diamonds for milestones; a dashed line on the date the chart is seen as of.
// Rows fold by level or one by one (click a name). SVG rendering keeps the print (A3 landscape)
// as sharp as the screen.
(() => {
  "use strict";

  const ROW_HEIGHT = 30;
  const LABEL_WIDTH = 300;
  const PRINT_WIDTH = 1500; // A3 landscape less the margins, in CSS pixels
  const INK = "#1d273b";
  const MISSED = "#d63939";
  const DAY = 86400000;

  const day = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(y, m - 1, d).getTime();
  };
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function draw(el) {
    const data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    const text = data.text;
    const rows = data.rows;
    const byId = new Map(rows.map((row) => [row.id, row]));
    const collapsed = new Set();
    const asOf = day(data.asOf);

    let low = asOf;
    let high = asOf;
    for (const row of rows) {
      for (const iso of [row.start, row.end, row.baseline, ...row.milestones.map((m) => m.due)]) {
        if (!iso) continue;
        low = Math.min(low, day(iso));
        high = Math.max(high, day(iso));
      }
    }
    const pad = Math.max(7 * DAY, (high - low) * 0.03);
    low -= pad;
    high += pad;

    const lightStyles = {};
    for (const row of rows) lightStyles[row.light] = { color: row.colour, fontSize: 14, padding: [0, 3, 0, 0] };

    function visible() {
      return rows.filter((row) => {
        for (let up = row.parent; up != null; up = byId.get(up).parent) {
          if (collapsed.has(up)) return false;
        }
        return true;
      });
    }

    function label(row) {
      const fold = row.hasChildren ? (collapsed.has(row.id) ? "▸ " : "▾ ") : "   ";
      const name = row.depth === 0 ? `{key|${row.label}}` : row.label;
      return `${"　".repeat(row.depth)}{${row.light}|●} ${fold}${name}`;
    }

    function renderBar(params, api) {
      const row = shown[params.dataIndex];
      const index = api.value(0);
      const from = api.coord([api.value(1), index]);
      const to = api.coord([api.value(2), index]);
      const band = api.size([0, 1])[1];
      const height = Math.min(16, band * 0.52);
      const top = from[1] - height / 2;
      const area = params.coordSys;
      const clip = (shape) => echarts.graphic.clipRectByRect(shape, area);
      const width = Math.max(to[0] - from[0], 2);
      const children = [];
      const add = (type, shape, style) => {
        if (shape) children.push({ type, shape, style });
      };
      if (row.baseline) {
        const baseline = api.coord([day(row.baseline), index]);
        add("rect", clip({ x: from[0], y: top + height + 2, width: Math.max(baseline[0] - from[0], 2), height: 3 }),
          { fill: INK, opacity: 0.6 });
        add("rect", clip({ x: baseline[0] - 1, y: top - 3, width: 2, height: height + 8 }), { fill: INK });
      }
      add("rect", clip({ x: from[0], y: top, width, height }), { fill: row.colour, opacity: 0.3 });
      add("rect", clip({ x: from[0], y: top, width: (width * row.percent) / 100, height }), { fill: row.colour });
      if (to[0] + 4 < area.x + area.width) {
        children.push({ type: "text", style: { text: `${row.percent}%`, x: to[0] + 4, y: from[1], fill: "#49566c",
          fontSize: 11, verticalAlign: "middle" } });
      }
      return { type: "group", children };
    }

    function milestoneStyle(m) {
      if (m.done) return { color: INK };
      if (m.missed) return { color: MISSED };
      return { color: "#fff", borderColor: INK, borderWidth: 1.5 };
    }

    function barTip(row) {
      const lines = [
        `<strong>${escape(row.label)}</strong>`,
        `${escape(text.light)}: ${escape(row.lightLabel)} · ${escape(text.state)}: ${escape(row.state)}`,
        `${escape(text.leader)}: ${escape(row.leader)} · ${escape(text.responsible)}: ${escape(row.responsible)}`,
        `${escape(text.leadUnit)}: ${escape(row.leadUnit)}`,
        `${escape(text.start)}: ${row.start} → ${escape(text.deadline)}: ${row.end}`,
      ];
      if (row.baseline) lines.push(`${escape(text.baseline)}: ${row.baseline}`);
      lines.push(`${escape(text.percent)}: ${row.percent}%`);
      for (const mode of row.modes) lines.push(`<span style="color:${row.colour}">●</span> ${escape(mode)}`);
      return lines.join("<br>");
    }

    let shown = visible();
    const chart = echarts.init(el, null, {
      renderer: "svg",
      locale: (document.documentElement.lang || "").toLowerCase().startsWith("zh") ? "ZH" : "EN",
    });

    function option() {
      shown = visible();
      const index = new Map(shown.map((row, i) => [row.id, i]));
      const milestones = [];
      for (const row of shown) {
        for (const m of row.milestones) {
          milestones.push({ value: [day(m.due), index.get(row.id)], itemStyle: milestoneStyle(m), row, milestone: m });
        }
      }
      const timeAxis = (position) => ({
        type: "time", position, min: low, max: high,
        axisLine: { show: false }, axisTick: { show: false },
        splitLine: { show: position === "top", lineStyle: { type: "dashed", color: "#e6e8eb" } },
        // The top labels stand clear of the grid, leaving room for the today line's label.
        axisLabel: { color: "#667382", hideOverlap: true, margin: position === "top" ? 22 : 8 },
      });
      return {
        animation: false,
        grid: { left: LABEL_WIDTH, right: 48, top: 50, bottom: 36 },
        tooltip: {
          trigger: "item", confine: true,
          formatter: (p) => {
            if (p.seriesIndex === 0) return barTip(shown[p.dataIndex]);
            const m = p.data.milestone;
            const state = m.done ? text.done : m.missed ? text.missed : text.open;
            return `<strong>${escape(p.data.row.label)}</strong><br>${escape(text.milestone)} ${m.due}: ${escape(m.text)} (${escape(state)})`;
          },
        },
        xAxis: [timeAxis("top"), { ...timeAxis("bottom"), gridIndex: 0 }],
        yAxis: {
          type: "category", inverse: true, data: shown.map((row) => String(row.id)), triggerEvent: true,
          axisTick: { show: false }, axisLine: { lineStyle: { color: "#e6e8eb" } },
          splitLine: { show: true, lineStyle: { color: "#f1f3f5" } },
          axisLabel: {
            align: "left", margin: LABEL_WIDTH - 8, width: LABEL_WIDTH - 16, overflow: "truncate",
            color: INK, fontSize: 12, formatter: (id) => label(byId.get(Number(id))),
            rich: { ...lightStyles, key: { fontWeight: "bold", color: INK, fontSize: 12 } },
          },
        },
        dataZoom: [{ type: "inside", xAxisIndex: [0, 1], filterMode: "weakFilter", zoomOnMouseWheel: "ctrl",
          moveOnMouseWheel: false, moveOnMouseMove: true, preventDefaultMouseMove: false }],
        series: [
          {
            type: "custom", name: "tasks", renderItem: renderBar, encode: { x: [1, 2], y: 0 }, clip: true,
            data: shown.map((row, i) => [i, day(row.start), day(row.end), row.baseline ? day(row.baseline) : day(row.end),
              row.percent]),
          },
          {
            type: "scatter", name: "milestones", symbol: "diamond", symbolSize: 12, z: 5, data: milestones,
            markLine: {
              silent: true, symbol: "none", animation: false,
              lineStyle: { color: MISSED, type: "dashed", width: 1.5 },
              label: { formatter: text.today, position: "start", color: MISSED, distance: 3, fontSize: 11 },
              data: [{ xAxis: asOf }],
            },
          },
        ],
      };
    }

    function redraw() {
      const next = option();
      el.style.height = `${shown.length * ROW_HEIGHT + 94}px`;
      chart.setOption(next, { replaceMerge: ["series", "yAxis"] });
      chart.resize();
    }

    chart.on("click", (params) => {
      if (params.componentType === "yAxis") {
        const row = byId.get(Number(params.value));
        if (!row || !row.hasChildren) return;
        if (collapsed.has(row.id)) collapsed.delete(row.id);
        else collapsed.add(row.id);
        redraw();
      } else if (params.componentType === "series") {
        const row = params.seriesIndex === 0 ? shown[params.dataIndex] : params.data.row;
        window.location.href = row.url;
      }
    });

    for (const button of document.querySelectorAll("[data-gantt-level]")) {
      button.addEventListener("click", () => {
        const level = Number(button.dataset.ganttLevel);
        collapsed.clear();
        if (level) {
          for (const row of rows) if (row.hasChildren && row.depth >= level - 1) collapsed.add(row.id);
        }
        for (const other of document.querySelectorAll("[data-gantt-level]")) other.classList.toggle("active", other === button);
        redraw();
      });
    }

    const printing = (on) => {
      el.style.width = on ? `${PRINT_WIDTH}px` : "";
      chart.resize();
    };
    window.addEventListener("beforeprint", () => printing(true));
    window.addEventListener("afterprint", () => printing(false));
    window.addEventListener("resize", () => chart.resize());
    redraw();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("gantt");
    if (el) draw(el);
    for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());
  });
})();
