// Push notifications: the card on "My data" (participants) and on /settings/ (staff) turns them
// on and off for this browser. The push worker has a scope of its own (see templates/push/).
"use strict";

(() => {
  const SCOPE = "/push/";
  const supported = () => "serviceWorker" in navigator && "PushManager" in window &&
    "Notification" in window;
  const card = () => document.querySelector("[data-push-card]");

  function show(state) {
    const box = card();
    box.querySelectorAll("[data-push-state]").forEach((line) => {
      line.hidden = line.dataset.pushState !== state;
    });
    box.querySelector("[data-push-on]").hidden = !["off", "failed"].includes(state);
    box.querySelector("[data-push-off]").hidden = state !== "on";
  }

  // The VAPID public key, base64url as the server renders it, as the bytes subscribe wants.
  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const text = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }

  async function post(url, body) {
    const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`push subscription: ${response.status}`);
    }
  }

  async function activeRegistration() {
    const registration = await navigator.serviceWorker.register(card().dataset.worker,
      { scope: SCOPE });
    const worker = registration.installing || registration.waiting;
    if (!registration.active && worker) {
      await new Promise((resolve) => worker.addEventListener("statechange", () => {
        if (worker.state === "activated") {
          resolve();
        }
      }));
    }
    return registration;
  }

  async function subscription() {
    const registration = await navigator.serviceWorker.getRegistration(SCOPE);
    return registration ? registration.pushManager.getSubscription() : null;
  }

  async function refresh() {
    if (!card() || !supported()) {
      return;
    }
    if (Notification.permission === "denied") {
      show("blocked");
      return;
    }
    const current = Notification.permission === "granted" ? await subscription() : null;
    if (current) {
      // The server learns it again: this browser belongs to whoever is signed in now.
      await post(card().dataset.subscribeUrl, current.toJSON());
    }
    show(current ? "on" : "off");
  }

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      show(permission === "denied" ? "blocked" : "off");
      return;
    }
    const registration = await activeRegistration();
    const current = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(card().dataset.publicKey),
    });
    await post(card().dataset.subscribeUrl, current.toJSON());
    show("on");
  }

  async function turnOff() {
    const current = await subscription();
    if (current) {
      await post(card().dataset.unsubscribeUrl, { endpoint: current.endpoint });
      await current.unsubscribe();
    }
    show("off");
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-push-on]")) {
      turnOn().catch(() => show("failed"));
    } else if (event.target.closest("[data-push-off]")) {
      turnOff().catch(() => show("failed"));
    }
  });
  document.addEventListener("DOMContentLoaded", () => refresh().catch(() => show("off")));
  document.addEventListener("htmx:afterSettle", () => refresh().catch(() => show("off")));
})();
