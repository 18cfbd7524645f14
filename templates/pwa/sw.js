// The service worker, served from /sw.js so it controls every page. The server renders the
// settings line below; the rest is plain hand-written JavaScript.
"use strict";

const SETTINGS = {{ settings|tojson }};
const STATIC_CACHE = `static-${SETTINGS.version}`;
// Participant pages last seen: not versioned, so a deploy does not wipe what can be read offline.
const PAGES_CACHE = "pages";
// Copies older than this are not shown: offline reading is for a bad day, not an archive.
const PAGE_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
const OFFLINE_KEY = `${SETTINGS.offline_prefix}current`;

importScripts(SETTINGS.outbox_script);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC_CACHE);
    await cache.addAll(SETTINGS.precache);
    await self.skipWaiting(); // a new deploy takes over without the user doing anything
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((n) => n.startsWith("static-") && n !== STATIC_CACHE);
    // The offline page of the language in use moves over; the rest of an old deploy goes.
    const previous = await caches.match(OFFLINE_KEY);
    if (previous) {
      await (await caches.open(STATIC_CACHE)).put(OFFLINE_KEY, previous);
    }
    await Promise.all(old.map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.offlinePage) {
    event.waitUntil(keepOfflinePage(data.offlinePage));
  }
  if (data.user) {
    event.waitUntil(forgetOthers(data.user));
  }
  if (data.keepPage) {
    // A page that loaded while this worker was still starting: control it too, and keep it.
    event.waitUntil(Promise.all([
      self.clients.claim(),
      fetch(data.keepPage).then((response) => keepPage(data.keepPage, response))
        .catch(() => undefined),
    ]));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") {
    event.waitUntil(Outbox.drain().then(tellPages));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) {
    return; // writes go to the network; the page puts them in the outbox if that fails
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request, true));
  } else if (request.headers.get("HX-Boosted")) {
    event.respondWith(page(request, false)); // a bottom-bar tap: htmx loads the whole page
  } else if (url.pathname.startsWith("/static/") && url.searchParams.has("v")) {
    event.respondWith(fingerprinted(request));
  }
});

async function tellPages(result) {
  for (const client of await self.clients.matchAll()) {
    client.postMessage({ outbox: result });
  }
}

async function keepOfflinePage(url) {
  const cache = await caches.open(STATIC_CACHE);
  if (!(await cache.match(url))) {
    await cache.add(url);
  }
  await cache.put(OFFLINE_KEY, await cache.match(url));
}

function isOfflinePage(url) {
  const path = new URL(url, location.origin);
  return !path.search && SETTINGS.offline_pages.includes(path.pathname);
}

async function keepPage(url, response) {
  if (!isOfflinePage(url) || !response.ok || response.redirected) {
    return;
  }
  // The time it was kept rides along, so an old copy can be left unused; whose it is, so it is
  // never shown to the next person who signs in on this phone.
  const body = await response.text();
  const headers = new Headers(response.headers);
  headers.set("X-Kept-At", String(Date.now()));
  headers.set("X-Kept-For", (/<body[^>]*\sdata-user="(\d+)"/.exec(body) || [])[1] || "");
  headers.delete("Vary");
  await (await caches.open(PAGES_CACHE)).put(url, new Response(body, { headers }));
}

// A session can end without signing out (it ran out, or was ended for a lost phone); the next
// person to sign in here must not be able to read the last one's copies offline.
async function forgetOthers(user) {
  const cache = await caches.open(PAGES_CACHE);
  for (const request of await cache.keys()) {
    const kept = await cache.match(request);
    if (!kept || kept.headers.get("X-Kept-For") !== user) {
      await cache.delete(request);
    }
  }
}

// HTML is network-first: never stale while online. A participant page seen before is kept
// for offline reading; offline, that copy is shown (marked), or the calm offline page. A boosted
// request that fails is left to fail: app.js then opens the page for real, and lands here.
async function page(request, navigation) {
  try {
    const response = await fetch(request);
    await keepPage(request.url, response.clone()).catch(() => undefined);
    return response;
  } catch (error) {
    if (!navigation) {
      return Response.error();
    }
    // The home-screen icon opens "/": offline, that is the plan.
    const start = new URL(request.url).pathname === "/" && SETTINGS.offline_pages[0];
    return (await offlineCopy(start || request.url)) || (await caches.match(OFFLINE_KEY))
      || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function offlineCopy(url) {
  const kept = isOfflinePage(url) && (await caches.match(url, { cacheName: PAGES_CACHE }));
  if (!kept || Date.now() - Number(kept.headers.get("X-Kept-At")) > PAGE_MAX_AGE_MS) {
    return null;
  }
  // The mark lets the page's CSS show "offline — last updated HH:MM".
  const html = (await kept.text()).replace("<html ", "<html data-offline-copy ");
  return new Response(html, { headers: kept.headers });
}

// A fingerprinted file never changes, so the copy is used first; an old fingerprint still finds
// today's file offline.
async function fingerprinted(request) {
  const cached = await caches.match(request);
  if (cached) {
    return cached;
  }
  try {
    const response = await fetch(request);
    if (response.ok) {
      await (await caches.open(STATIC_CACHE)).put(request, response.clone());
    }
    return response;
  } catch (error) {
    const any = await caches.match(request, { ignoreSearch: true });
    if (any) {
      return any;
    }
    throw error;
  }
}
