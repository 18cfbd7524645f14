// The push worker, served from /push/worker.js with the scope /push/: it controls no page and
// keeps nothing, so staff (whose browsers keep no offline copies) can have it too. It shows what
// the server pushed and opens the page the notification is about.
"use strict";

const ICON = {{ icon|tojson }};

self.addEventListener("install", () => self.skipWaiting());

// Only a path on this site is ever opened, whatever a payload says.
function samePath(url) {
  try {
    const target = new URL(url || "/", self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search : "/";
  } catch {
    return "/";
  }
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  event.waitUntil(self.registration.showNotification(data.title || "Trædesten", {
    body: data.body || "",
    tag: data.tag || "traedesten",
    icon: ICON,
    data: { url: samePath(data.url) },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(samePath(event.notification.data && event.notification.data.url),
    self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((client) => client.url === url);
    return open ? open.focus() : self.clients.openWindow(url);
  })());
});
