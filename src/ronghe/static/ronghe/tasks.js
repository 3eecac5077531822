// Pages of the key tasks: the plan's task tree folds by level or row by row, and person fields
// suggest people in scope as one types (工号 or 姓名).
(() => {
  "use strict";

  // A row is shown when none of its ancestors is folded.
  function refreshTree(table) {
    const folded = new Set([...table.querySelectorAll("tr[data-folded]")].map((row) => row.dataset.task));
    for (const row of table.querySelectorAll("tbody tr[data-task]")) {
      const ancestors = (row.dataset.ancestors || "").split(" ").filter(Boolean);
      row.hidden = ancestors.some((id) => folded.has(id));
    }
  }

  function fold(row, folded) {
    if (folded) row.dataset.folded = "1";
    else delete row.dataset.folded;
    const button = row.querySelector("[data-task-toggle]");
    if (button) button.setAttribute("aria-expanded", String(!folded));
  }

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-task-toggle]");
    if (toggle) {
      const row = toggle.closest("tr");
      fold(row, !row.dataset.folded);
      refreshTree(row.closest("table"));
      return;
    }
    const level = event.target.closest("[data-tree-level]");
    if (level) {
      const depth = Number(level.dataset.treeLevel);
      const table = document.getElementById("task-tree");
      for (const row of table.querySelectorAll("tbody tr[data-task]")) {
        fold(row, depth > 0 && Number(row.dataset.depth) >= depth - 1 && !!row.querySelector("[data-task-toggle]"));
      }
      refreshTree(table);
    }
  });

  // Suggestions for person fields, fetched after a short pause in typing.
  let timer = null;
  document.addEventListener("input", (event) => {
    const input = event.target.closest("[data-person-input]");
    const list = input && document.getElementById(input.getAttribute("list"));
    if (!list) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q || /[(（]/.test(q)) return;
      const response = await fetch(`${list.dataset.url}?q=${encodeURIComponent(q)}`, { credentials: "same-origin" });
      if (response.ok) list.innerHTML = await response.text();
    }, 200);
  });
})();
