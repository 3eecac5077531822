// The compliance matrix: a row's sub-organisations load once (htmx), then fold and unfold here.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".matrix-toggle");
  if (!button || button.dataset.loaded !== "1") return;
  const row = button.closest("tr");
  const open = button.getAttribute("aria-expanded") === "true";
  const rows = row.parentElement.querySelectorAll("tr[data-path]");
  rows.forEach((other) => {
    if (other === row || !other.dataset.path.startsWith(row.dataset.path)) return;
    if (open) {
      other.hidden = true;
    } else if (other.dataset.parent === row.dataset.code) {
      other.hidden = false;
      const toggle = other.querySelector(".matrix-toggle[data-loaded='1']");
      if (toggle) toggle.setAttribute("aria-expanded", "false");
    }
  });
  button.setAttribute("aria-expanded", String(!open));
});
document.addEventListener("htmx:afterRequest", (event) => {
  const button = event.detail.elt;
  if (button.classList && button.classList.contains("matrix-toggle") && event.detail.successful) {
    button.dataset.loaded = "1";
    button.setAttribute("aria-expanded", "true");
  }
});
