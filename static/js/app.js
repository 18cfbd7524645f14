// Small progressive enhancements; every page works without this file.
"use strict";

// After an htmx swap, move focus to what the swap asks for (an error summary or a status line),
// so keyboard and screen-reader users land where the change is.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target.querySelector("[data-focus-after-swap], .error-summary");
  if (target) {
    target.focus();
  }
});
