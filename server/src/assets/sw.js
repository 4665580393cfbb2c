// Riyada's service worker. The server fills in VERSION, PRECACHE and ON_DEMAND (see
// assets/mod.rs).
//
// - The app shell (hashed CSS, fonts, icons, manifest, offline page) is stored at install,
//   in a cache named after this version; older caches go on activation.
// - The app's WASM and JavaScript (ON_DEMAND) are not: the public pages of a first visit load
//   none, and metered data should not pay for the app before it is used. They join the
//   shell when a page first loads them, and when a page is kept for offline reading the
//   files it names are stored with it, so a page read offline still becomes interactive.
// - Pages: network first; the entrepreneur's own pages are stored when they arrive, and shown
//   from the store when there is no connection (or the offline page when never opened).
//   The server names the reader of each page (X-Riyada-Reader): an entrepreneur's pages are
//   kept; a staff member's device keeps none (their pages hold other people's data) and
//   forgets any it had; signed out (also when the session ended or expired on the server)
//   only the public pages stay.
// - Never stored: anything but GET (server functions, forms), file downloads and exports,
//   password-reset links.
// - Signing in, out or registering forgets every stored page: they belonged to the account.
"use strict";
const VERSION = "__VERSION__";
const PRECACHE = ["__PRECACHE__"];
const ON_DEMAND = ["__ON_DEMAND__"];
const OFFLINE = "__OFFLINE__";
const SHELL = "riyada-shell-" + VERSION;
const PAGES = "riyada-pages-" + VERSION;
const PAGES_MAX = 40;

// Pages an entrepreneur reads offline; everything else is network only.
const KEEP = [
  /^\/$/,
  /^\/home$/,
  /^\/case$/,
  /^\/plans$/,
  /^\/plans\/\d+$/,
  /^\/plans\/\d+\/[a-z_]+$/,
  /^\/services$/,
  /^\/services\/formalise$/,
  /^\/services\/requests\/\d+$/,
  /^\/documents$/,
  /^\/notifications$/,
  /^\/profile$/,
  /^\/sign-in$/,
  /^\/register$/,
];
// Pages that are the same for everybody (kept when signed out).
const PUBLIC = [/^\/$/, /^\/sign-in$/, /^\/register$/];
// Server functions that change whose pages these are.
const ACCOUNT_CHANGES = ["/api/auth/login", "/api/auth/logout", "/api/auth/register", "/api/auth/reset-password"];

const keepable = (url) => url.origin === self.location.origin && KEEP.some((re) => re.test(url.pathname));

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      // Hashed files come from the HTTP cache when the page just loaded them (no second
      // download); fonts and icons keep their names, so they are revalidated (a 304 when
      // unchanged).
      await shell.addAll(
        PRECACHE.filter((u) => u !== OFFLINE).map((u) => new Request(u, { cache: u.startsWith("/pkg/") ? "default" : "no-cache" })),
      );
      // The offline page without the account: it is the same for everybody.
      const offline = await fetch(OFFLINE, { credentials: "omit", cache: "reload" });
      if (offline.ok) await shell.put(OFFLINE, offline);
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      // Pages stored by the previous version name its files: fetch them again for this one.
      const old = names.filter((n) => n.startsWith("riyada-pages-") && n !== PAGES);
      for (const name of old) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          await keepPage(request.url).catch(() => {});
        }
      }
      await Promise.all(names.filter((n) => n.startsWith("riyada-") && n !== SHELL && n !== PAGES).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "skip-waiting") {
    self.skipWaiting();
  } else if (data.type === "keep" && typeof data.url === "string") {
    // A page reached by in-app navigation: store it like one opened directly.
    event.waitUntil(keepPage(data.url).catch(() => {}));
  }
});

// Every page's answer passes here; what is kept follows its reader. (HTTP caches are told
// no-store for every page: the worker's store is the device's one copy, under these rules.)
async function store(request, response) {
  const reader = response.headers.get("x-riyada-reader");
  if (reader === "staff") {
    await caches.delete(PAGES);
    return;
  }
  if (reader === "none") await forgetPersonal();
  const type = response.headers.get("content-type") || "";
  const url = new URL(request.url);
  if ((reader !== "entrepreneur" && reader !== "none") || !keepable(url)) return;
  if (!response.ok || response.redirected || response.type !== "basic" || !type.startsWith("text/html")) return;
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const extra of keys.slice(0, Math.max(0, keys.length - PAGES_MAX))) {
    await cache.delete(extra);
  }
}

async function forgetPersonal() {
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) {
    if (!PUBLIC.some((re) => re.test(new URL(request.url).pathname))) await cache.delete(request);
  }
}

async function keepPage(href) {
  const url = new URL(href, self.location.origin);
  if (!keepable(url)) return;
  // Asked for as a browser asks for a page: the server chooses the page's browser build
  // (and so which files it names) for requests that accept HTML.
  const request = new Request(url.href, { credentials: "same-origin", headers: { accept: "text/html" } });
  const response = await fetch(request);
  await store(request, response.clone());
  if (!response.ok) return;
  // The page names the app files it hydrates with. A plain page (`<html data-plain>`) needs
  // none; the home page names them only to start when edits wait on the device, and a
  // device with edits already stored the app where they were made.
  const html = await response.text();
  if (/<html[^>]*\sdata-plain/.test(html)) return;
  for (const path of ON_DEMAND.filter((p) => html.includes(p))) {
    await onDemand(new Request(path)).catch(() => {});
  }
}

// Named after their content: a stored copy is always right.
async function onDemand(request) {
  const path = new URL(request.url).pathname;
  const shell = await caches.open(SHELL);
  const hit = await shell.match(path);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await shell.put(path, response.clone());
  return response;
}

async function page(event, url) {
  try {
    const response = await fetch(event.request);
    event.waitUntil(store(new Request(url.href), response.clone()).catch(() => {}));
    return response;
  } catch (offline) {
    if (keepable(url)) {
      const cache = await caches.open(PAGES);
      const stored = await cache.match(url.href);
      if (stored) return stored;
    }
    return (await caches.match(OFFLINE, { cacheName: SHELL })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (ACCOUNT_CHANGES.includes(url.pathname)) {
      event.waitUntil(caches.delete(PAGES));
    }
    return; // the network, never stored
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
    return;
  }
  if (PRECACHE.includes(url.pathname) && url.pathname !== OFFLINE) {
    event.respondWith(caches.match(url.pathname, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
  } else if (ON_DEMAND.includes(url.pathname)) {
    event.respondWith(onDemand(request));
  }
  // Anything else (downloads, exports, the worker itself): the network, never stored.
});
