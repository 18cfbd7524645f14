// The outbox: writes made without a connection wait in IndexedDB on this phone until the
// server has them. Loaded by the page (app.js) and by the service worker (sw.js, for Background
// Sync), so both send the same way. Every write carries its client_id and the server is
// idempotent on it, so sending one twice changes nothing twice.
"use strict";

self.Outbox = (() => {
  const DB_NAME = "traedesten";
  const STORE = "outbox";
  // A sent item stays a few minutes so the participant sees "Sent", then it goes.
  const KEEP_SENT_MS = 10 * 60 * 1000;

  const done = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

  function open() {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      // seq keeps the order the participant did things in.
      request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
    };
    return done(request);
  }

  async function withStore(mode, work) {
    const db = await open();
    try {
      return await done(work(db.transaction(STORE, mode).objectStore(STORE)));
    } finally {
      db.close();
    }
  }

  const all = () => withStore("readonly", (store) => store.getAll());
  const put = (item) => withStore("readwrite", (store) => store.put(item));
  const remove = (seq) => withStore("readwrite", (store) => store.delete(seq));

  function add(item) {
    return put({ ...item, state: "waiting", queuedAt: Date.now() });
  }

  // Waiting or rejected: not on the server yet (anyone's: signing out clears them all).
  async function unsent() {
    return (await all()).filter((item) => item.state !== "sent");
  }

  function clear() {
    return done(indexedDB.deleteDatabase(DB_NAME)).catch(() => undefined);
  }

  async function prune() {
    const old = Date.now() - KEEP_SENT_MS;
    for (const item of await all()) {
      if (item.state === "sent" && item.sentAt < old) {
        await remove(item.seq);
      }
    }
  }

  // A fresh CSRF token and whose session it belongs to; null when signed out.
  async function session() {
    const response = await fetch("/csrf-token", {
      redirect: "manual", cache: "no-store", headers: { Accept: "application/json" },
    });
    return response.ok ? response.json() : null;
  }

  async function send(item, token) {
    const response = await fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.body),
      // As htmx: the server answers 200 with a fragment (not a redirect), 401 when signed out.
      headers: { "X-CSRFToken": token, "HX-Request": "true" },
      redirect: "manual",
    });
    if (response.ok) {
      const at = Date.parse(response.headers.get("Date") || "") || Date.now();
      // What was written is on the server now; the phone keeps only the label for a while.
      return { ...item, body: "", state: "sent", sentAt: at };
    }
    if (response.status === 401 || response.type === "opaqueredirect") {
      return null;
    }
    if (response.status >= 500 || response.status === 429) {
      throw new Error(`later: ${response.status}`);
    }
    // The server refused it (a 422 names the field): the participant fixes it, nothing is dropped.
    return { ...item, state: "rejected", status: response.status, answer: await response.text() };
  }

  // Send what waits, in order. Returns "signed-out" when a sign-in is needed first.
  async function drainNow() {
    await prune();
    const waiting = (await all()).filter((item) => item.state === "waiting");
    if (!waiting.length) {
      return "empty";
    }
    const me = await session();
    if (!me) {
      return "signed-out";
    }
    for (const item of waiting) {
      // Never replayed under another person's session.
      if (item.user !== String(me.user_id)) {
        continue;
      }
      const result = await send(item, me.csrf_token);
      if (result === null) {
        return "signed-out";
      }
      await put(result);
    }
    return "sent";
  }

  // One drain at a time across the page and the service worker.
  function drain() {
    const run = () => drainNow().catch(() => "offline");
    return self.navigator.locks ? navigator.locks.request("outbox", run) : run();
  }

  return { add, all, put, remove, unsent, clear, drain, prune };
})();
