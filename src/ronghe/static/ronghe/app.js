// Tree expand/collapse: the first expansion loads the children with htmx (one request), later
// clicks only show or hide them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree-toggle]");
  if (!button) return;
  event.preventDefault();
  const box = button.closest("li").querySelector(":scope > .tree-children");
  const open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", String(!open));
  box.hidden = open;
  if (!open && !box.dataset.loaded) {
    box.dataset.loaded = "1";
    htmx.ajax("GET", button.dataset.url, { target: box, swap: "innerHTML" });
  }
});

// Forms that ask before an irreversible step (abolish, merge, revoke).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
