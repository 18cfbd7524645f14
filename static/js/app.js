// Small progressive enhancements; every page works without this file. Hand-written, no build
// step: it is small enough to read as it is served, and nothing has to be rebuilt to fix it.
"use strict";

// After an htmx swap, move focus to what the swap asks for (an error summary or a status line),
// so keyboard users land where the change is, and say it in the page's live region: a region
// that was already there is announced reliably, one that a swap brings in is often not.
function announce(text) {
  const live = document.getElementById("live");
  if (live && text) {
    // Emptied first, so the same words said twice in a row are heard twice.
    live.textContent = "";
    setTimeout(() => { live.textContent = text.replace(/\s+/g, " ").trim(); }, 50);
  }
}

document.addEventListener("htmx:afterSwap", (event) => {
  const root = event.detail.target.isConnected ? event.detail.target : document;
  const target = root.querySelector(".error-summary, [data-focus-after-swap]");
  if (target) {
    target.focus();
    // A notice says its first line; its undo button is read when focus reaches it.
    announce((target.matches("p, .error-summary") ? target : target.querySelector("p") || target)
      .textContent);
  } else {
    root.querySelector("[autofocus]")?.focus();
    announce(root.querySelector("[data-announce]")?.textContent);
  }
});

// A message from the other side arrives by polling: say who wrote and what.
const newestIncoming = () => [...document.querySelectorAll("#message-list li.message:not(.mine)")].pop();
let knownIncoming = null;
document.addEventListener("htmx:afterSettle", (event) => {
  const newest = newestIncoming();
  if (event.detail.elt.id === "message-list" && newest && newest.id !== knownIncoming) {
    const list = document.getElementById("message-list");
    announce(`${list.dataset.newMessage} ${newest.querySelector(".sender").textContent}: ` +
      newest.querySelector(".message-body").textContent);
  }
  knownIncoming = newest ? newest.id : null;
});
document.addEventListener("DOMContentLoaded", () => {
  knownIncoming = newestIncoming()?.id || null;
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

const participant = () => document.body.classList.contains("role-participant");
const staff = () => /\brole-(consultant|admin)\b/.test(document.body.className);
const me = () => document.body.dataset.user;
const canQueue = () => participant() && "indexedDB" in self;

function uuid() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Every write must be a new one: a copy of a page (or a form sent before) gets fresh ids.
function freshIds(root) {
  root.querySelectorAll("input[name=client_id]").forEach((input) => { input.value = uuid(); });
}

// The service worker: offline reading for participants, nothing kept for staff.
async function setUpWorker() {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  if (staff()) {
    // The push worker (scope /push/) keeps nothing and stays: staff may have notifications on.
    (await navigator.serviceWorker.getRegistrations())
      .filter((r) => !new URL(r.scope).pathname.startsWith("/push/"))
      .forEach((r) => r.unregister());
    (await caches.keys()).forEach((name) => caches.delete(name));
    return;
  }
  await navigator.serviceWorker.register("/sw.js");
  const worker = (await navigator.serviceWorker.ready).active;
  worker.postMessage({ offlinePage: `/offline/${document.documentElement.lang}`, user: me() });
  if (participant() && !navigator.serviceWorker.controller) {
    // This page came before the worker did: the worker takes it over and keeps a copy.
    worker.postMessage({ keepPage: location.pathname + location.search });
  }
}

navigator.serviceWorker?.addEventListener("message", (event) => {
  if (event.data && event.data.outbox) {
    showOutbox();
  }
});

// The outbox: what is done offline waits on the phone and is sent when the connection is back.
const squeeze = (text) => (text || "").replace(/\s+/g, " ").trim().slice(0, 80);

// What the participant did (the form's label or its button) and the start of what they wrote,
// kept apart so each runs in its own writing direction.
function describe(form, submitter) {
  const button = submitter || form.querySelector("button");
  const text = form.querySelector("textarea");
  return {
    label: squeeze(form.dataset.outboxLabel || (button && button.textContent)),
    text: squeeze(text && text.value),
  };
}

async function queue(form, submitter) {
  const data = new FormData(form);
  data.delete("csrf_token"); // a fresh token is fetched when it is sent
  await Outbox.add({
    clientId: data.get("client_id"), user: me(), ...describe(form, submitter),
    url: new URL(form.action, location.href).pathname,
    body: new URLSearchParams(data).toString(), page: location.pathname + location.search,
  });
  await forgetFix(form);
  form.reset();
  freshIds(form);
  await showOutbox();
  navigator.serviceWorker?.ready.then((r) => r.sync && r.sync.register("outbox")).catch(() => {});
}

function queueable(form) {
  return canQueue() && form.method === "post" && form.querySelector("input[name=client_id]");
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("[data-sign-out]")) {
    event.preventDefault();
    event.stopImmediatePropagation();
    signOut(form);
  } else if (!navigator.onLine && queueable(form)) {
    event.preventDefault();
    event.stopImmediatePropagation(); // htmx must not try to send it
    queue(form, event.submitter);
  } else {
    forgetFix(form);
  }
}, true);

// Online but the request never arrived (a bus, a basement): queue it, or open the page anew so
// the service worker can show its offline copy.
function unsent(event) {
  const { elt, requestConfig, pathInfo } = event.detail;
  if (requestConfig.verb === "get" && requestConfig.boosted) {
    location.assign(pathInfo.finalRequestPath || requestConfig.path);
  } else if (requestConfig.verb === "post" && elt.closest("form") && queueable(elt.closest("form"))) {
    queue(elt.closest("form"));
  }
}
document.addEventListener("htmx:sendError", unsent);
document.addEventListener("htmx:timeout", unsent);
document.addEventListener("htmx:beforeRequest", (event) => {
  const config = event.detail.requestConfig;
  if (!navigator.onLine && config && config.boosted && config.verb === "get") {
    event.preventDefault();
    location.assign(event.detail.pathInfo.finalRequestPath || config.path);
  }
});

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text || "";
  return node;
}

function clock(ms) {
  const options = { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Copenhagen" };
  return new Intl.DateTimeFormat(document.documentElement.lang, options).format(ms);
}

// What the server said about a refused write: its error summary or the field's message.
function reasons(answer) {
  const page = new DOMParser().parseFromString(answer || "", "text/html");
  for (const selector of [".error-summary li", ".field-error", ".notice", "h1"]) {
    const found = [...page.querySelectorAll(selector)].map((n) => n.textContent.trim());
    if (found.length) {
      return found.join(" ");
    }
  }
  return "";
}

function row(item, texts) {
  const li = element("li", `outbox-item ${item.state}`);
  li.dataset.state = item.state;
  li.append(element("p", "outbox-label", item.label));
  if (item.text) {
    const text = element("p", "outbox-text", item.text);
    text.dir = "auto";
    li.append(text);
  }
  if (item.state === "rejected") {
    li.append(element("p", "outbox-state", `${texts.rejected} ${reasons(item.answer)}`));
    const actions = element("div", "row");
    const fix = element("button", "button", texts.fix);
    fix.type = "button";
    fix.addEventListener("click", () => startFix(item));
    const remove = element("button", "link-button", texts.remove);
    remove.type = "button";
    remove.addEventListener("click", () => Outbox.remove(item.seq).then(showOutbox));
    actions.append(fix, remove);
    li.append(actions);
  } else {
    const sent = item.state === "sent";
    li.append(element("p", "outbox-state", sent ? texts.sent.replace("{time}", clock(item.sentAt))
      : texts.waiting));
  }
  return li;
}

async function showOutbox(signedOut) {
  const panel = document.getElementById("outbox");
  if (!panel || !canQueue()) {
    return;
  }
  const items = (await Outbox.all()).filter((item) => item.user === me());
  // Drawn again only when something changed, so a screen reader hears each change once.
  const shown = items.map((item) => `${item.seq}:${item.state}`).join();
  if (shown !== panel.dataset.shown) {
    panel.dataset.shown = shown;
    panel.querySelector(".outbox-items").replaceChildren(...items.map((i) => row(i, panel.dataset)));
  }
  if (signedOut !== undefined) {
    panel.querySelector(".outbox-signed-out").hidden = !signedOut;
  }
  panel.hidden = items.length === 0;
}

async function drain() {
  if (canQueue()) {
    const result = await Outbox.drain();
    await showOutbox(result === "signed-out");
  }
}

// A refused write goes back into its form on its page, for the participant to correct.
function startFix(item) {
  if (location.pathname + location.search !== item.page) {
    location.assign(`${item.page}#outbox-fix-${item.seq}`);
    return;
  }
  const form = [...document.forms].find((f) => new URL(f.action, location.href).pathname === item.url);
  if (!form) {
    return;
  }
  for (const [name, value] of new URLSearchParams(item.body)) {
    const field = name === "client_id" ? null : form.elements.namedItem(name);
    if (field) {
      field.value = value;
    }
  }
  form.dataset.fixing = item.seq;
  form.closest("details")?.setAttribute("open", "");
  const note = form.querySelector(".outbox-fixing") || element("p", "notice outbox-fixing");
  note.textContent = document.getElementById("outbox").dataset.fixing;
  note.tabIndex = -1;
  form.prepend(note);
  note.focus();
}

async function resumeFix() {
  const match = /^#outbox-fix-(\d+)$/.exec(location.hash);
  // Only one's own: a queue left by someone whose session ran out is never shown to the next.
  const item = match && (await Outbox.all()).find((i) => i.seq === Number(match[1]) && i.user === me());
  if (item) {
    startFix(item);
  }
}

// Once the corrected form is sent (or queued again), the refused copy has done its work.
async function forgetFix(form) {
  if (form.dataset.fixing) {
    await Outbox.remove(Number(form.dataset.fixing));
    delete form.dataset.fixing;
    await showOutbox();
  }
}

// Signing out takes the offline copies and the outbox off the phone, after a warning if
// something is not sent yet. The server also answers with Clear-Site-Data.
async function signOut(form) {
  if (canQueue()) {
    await Outbox.drain();
    if ((await Outbox.unsent()).length && !window.confirm(form.dataset.warning)) {
      return;
    }
    await Outbox.clear();
  }
  if (self.caches) {
    await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
  }
  form.submit();
}

// Add to the home screen: the browser's own prompt where there is one; on an iPhone, words.
let installPrompt = null;

function showInstallHint() {
  const hint = document.getElementById("install-hint");
  if (!hint) {
    return;
  }
  const installed = matchMedia("(display-mode: standalone)").matches || navigator.standalone;
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent);
  // "Not now" is remembered on this phone: a calm app asks once, not on every visit.
  const later = localStorage.getItem("install-hint") === "later";
  hint.querySelector("#install-button").hidden = !installPrompt;
  hint.querySelector("#install-ios").hidden = !ios;
  hint.hidden = installed || later || !(installPrompt || ios);
}

window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  installPrompt = event;
  showInstallHint();
});
window.addEventListener("appinstalled", () => {
  installPrompt = null;
  showInstallHint();
});
document.addEventListener("click", (event) => {
  if (installPrompt && event.target.closest("#install-button")) {
    installPrompt.prompt();
    installPrompt = null;
  } else if (event.target.closest("#install-later")) {
    localStorage.setItem("install-hint", "later");
  } else {
    return;
  }
  showInstallHint();
});

// Sent when the connection returns: Background Sync where the browser has it, and always on
// load, on focus and when back online (iPhones have no Background Sync).
window.addEventListener("online", drain);
window.addEventListener("focus", drain);
document.addEventListener("visibilitychange", () => document.hidden || drain());
document.addEventListener("htmx:afterSettle", () => {
  showOutbox();
  showInstallHint();
});
document.addEventListener("DOMContentLoaded", () => {
  if (document.documentElement.hasAttribute("data-offline-copy")) {
    freshIds(document);
  }
  setUpWorker().catch(() => {});
  drain().then(resumeFix);
  showInstallHint();
});
