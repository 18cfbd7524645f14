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

// A quick phrase under the reply box goes into the box at the cursor, without a round trip.
// (Without this file the button posts the form and the page comes back with the phrase in.)
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-phrase]");
  const box = button && button.form && button.form.querySelector("textarea");
  if (!box) {
    return;
  }
  event.preventDefault();
  const before = box.value.slice(0, box.selectionStart).replace(/\s+$/, "");
  const after = box.value.slice(box.selectionEnd);
  const inserted = (before ? " " : "") + button.dataset.phrase;
  box.value = before + inserted + after;
  box.focus();
  box.selectionStart = box.selectionEnd = before.length + inserted.length;
});
