// Form helpers (progressive: every form works without them; no inline code, CSP-compliant).
//
// 1. Length counters: a field with a maximum length no longer cuts pasted text silently (the
//    browser's maxlength does): the limit moves to data-maxlength, a counter shows how many
//    characters there are, and going over says by how much; the server refuses an over-long
//    text with its own message (core.messages) and keeps what was typed.
// 2. Several records in one box (formkit.LookupMany): a search box above the list, filled from
//    the lookup as the person types; a pick is added as a line of the list.
(() => {
  const english = (document.documentElement.lang || "").toLowerCase().startsWith("en");
  const words = english
    ? {
        count: (n, max) => `${n} / ${max}`,
        over: (n) => `${n} characters too many — please shorten it.`,
        search: "Search and pick to add a line",
      }
    : {
        count: (n, max) => `${n} / ${max} 字`,
        over: (n) => `超出 ${n} 字，请删减。`,
        search: "输入后从提示中选择，添加一行",
      };

  const length = (text) => [...text].length;

  function counter(field) {
    const max = Number(field.getAttribute("maxlength"));
    if (!max || field.type === "hidden" || field.type === "password") return;
    field.removeAttribute("maxlength");
    field.dataset.maxlength = String(max);
    const note = document.createElement("p");
    note.className = "counter";
    note.id = `${field.id || field.name}-counter`;
    note.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", note);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${note.id}` : note.id);
    const update = () => {
      const n = length(field.value);
      const over = n - max;
      note.textContent = over > 0 ? words.over(over) : words.count(n, max);
      note.classList.toggle("over", over > 0);
      field.setCustomValidity(over > 0 ? words.over(over) : "");
    };
    field.addEventListener("input", update);
    update();
  }

  function lookupMany(list) {
    const url = list.dataset.lookupMany;
    const box = document.createElement("input");
    box.type = "search";
    box.autocomplete = "off";
    box.className = "lookup-many-search";
    box.placeholder = list.dataset.placeholder || words.search;
    box.setAttribute("aria-label", words.search);
    const options = document.createElement("datalist");
    options.id = `${list.id || list.name}-options`;
    box.setAttribute("list", options.id);
    list.insertAdjacentElement("beforebegin", box);
    list.insertAdjacentElement("beforebegin", options);
    let timer = null;
    let asked = "";
    const add = (label) => {
      const lines = list.value.split(/\n/).map((l) => l.trim()).filter(Boolean);
      if (!lines.includes(label)) lines.push(label);
      list.value = lines.join("\n");
      box.value = "";
    };
    box.addEventListener("input", () => {
      clearTimeout(timer);
      const q = box.value.trim();
      if (/\[[^\]]+\]\s*$/.test(q)) {
        add(q);
        return;
      }
      if (!q || q === asked) return;
      timer = setTimeout(async () => {
        asked = q;
        try {
          const response = await fetch(`${url}?q=${encodeURIComponent(q)}`, {
            credentials: "same-origin",
          });
          if (!response.ok) return;
          const { results } = await response.json();
          options.replaceChildren(
            ...results.map((r) => {
              const option = document.createElement("option");
              option.value = r.label;
              return option;
            }),
          );
        } catch (_) {
          // Offline or signed out: the lines can still be typed.
        }
      }, 200);
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        if (box.value.trim()) add(box.value.trim());
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const field of document.querySelectorAll("input[maxlength], textarea[maxlength]")) {
      counter(field);
    }
    for (const list of document.querySelectorAll("textarea[data-lookup-many]")) {
      lookupMany(list);
    }
  });
})();
