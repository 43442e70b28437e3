"use strict";
// Large text and high contrast, remembered on this device. A classic script in <head>, so the
// class is on <html> before the first paint and the page does not jump when it loads.
(function () {
  const KEY = "rxlens.large";
  const root = document.documentElement;
  let on = false;
  try { on = localStorage.getItem(KEY) === "1"; } catch { /* storage off: the default stands */ }
  root.classList.toggle("large", on);
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("large");
    button.setAttribute("aria-pressed", String(on));
    button.onclick = () => {
      on = !on;
      root.classList.toggle("large", on);
      button.setAttribute("aria-pressed", String(on));
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch { /* kept for this visit only */ }
    };
  });
})();
