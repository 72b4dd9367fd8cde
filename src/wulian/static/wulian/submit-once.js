// Every form is sent once: while a POST is on its way its submit buttons are disabled, so a
// second click (or a double click) sends nothing more. The page works without this: the
// services refuse a repeated step by the record's version anyway.
//
// The buttons are disabled just after the submit event, not during it: the browser has then
// already taken the clicked button's name and value into what it sends (a step with a preview
// tells "preview" from "submit" by them). A GET form (a filter, a download) is left alone; a
// page shown again from the back/forward cache gets its buttons back.
(() => {
  const BUSY = "data-submitting";

  function buttonsOf(form) {
    const inside = form.querySelectorAll('button:not([type="button"]), input[type="submit"]');
    const outside = form.id
      ? document.querySelectorAll(`button[form="${CSS.escape(form.id)}"]`)
      : [];
    return [...inside, ...outside];
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.hasAttribute(BUSY)) {
      event.preventDefault();
      return;
    }
    form.setAttribute(BUSY, "");
    form.setAttribute("aria-busy", "true");
    setTimeout(() => {
      for (const button of buttonsOf(form)) button.disabled = true;
    }, 0);
  });

  window.addEventListener("pageshow", () => {
    for (const form of document.querySelectorAll(`form[${BUSY}]`)) {
      form.removeAttribute(BUSY);
      form.removeAttribute("aria-busy");
      for (const button of buttonsOf(form)) button.disabled = false;
    }
  });
})();
