// sanctionwatch dashboard: small enhancements only; every page works without this file.
"use strict";

// Inbox: j / k move between flags, Enter (on a focused link) opens one.
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, select, textarea") || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  if (event.key !== "j" && event.key !== "k") {
    return;
  }
  const links = Array.from(document.querySelectorAll("[data-keynav] a.flag-link"));
  if (!links.length) {
    return;
  }
  const at = links.indexOf(document.activeElement);
  const next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
  document.querySelectorAll("tr.keyfocus").forEach((row) => row.classList.remove("keyfocus"));
  links[next].focus();
  links[next].closest("tr").classList.add("keyfocus");
  event.preventDefault();
});

// Review forms: a dismissal needs a reason; say so before the server does.
document.querySelectorAll("form.review-form").forEach((form) => {
  const reason = form.querySelector("select[name=reason]");
  form.addEventListener("change", () => {
    const action = form.querySelector("input[name=action]:checked");
    reason.required = Boolean(action && action.value === "dismiss");
  });
});
