// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // The navigation's groups: one open at a time; a click elsewhere or Escape folds them.
  const groups = [...document.querySelectorAll(".mainnav .group > details")];
  for (const group of groups) {
    group.addEventListener("toggle", () => {
      if (group.open) for (const other of groups) if (other !== group) other.open = false;
    });
  }
  document.addEventListener("click", (event) => {
    for (const group of groups) if (group.open && !group.contains(event.target)) group.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const group of groups) {
      if (group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    }
  });
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Unit search boxes (formkit.OrganisationLookup): the browser's suggestion list is filled
  // from the lookup as the person types; what they pick ("名称 [代码]") is what the form takes.
  for (const box of document.querySelectorAll("input[data-lookup]")) {
    const list = document.getElementById(box.getAttribute("list"));
    if (!list) continue;
    let timer = null;
    let asked = "";
    box.addEventListener("input", () => {
      clearTimeout(timer);
      const q = box.value.trim();
      if (!q || q === asked || /\[[^\]]+\]\s*$/.test(q)) return;
      timer = setTimeout(async () => {
        asked = q;
        const url = `${box.dataset.lookup}?q=${encodeURIComponent(q)}`;
        try {
          const response = await fetch(url, { credentials: "same-origin" });
          if (!response.ok) return;
          const { results } = await response.json();
          list.replaceChildren(
            ...results.map((r) => {
              const option = document.createElement("option");
              option.value = r.label;
              return option;
            }),
          );
        } catch (_) {
          // Offline or signed out: the box still takes a typed code or name.
        }
      }, 200);
    });
  }
});
