// Bytes a first visit costs, as Chromium counts them on the wire (brotli where the server
// sends it), the service worker's own downloads included: the landing page, then the sign-in
// page through its link. Then signing in with the given account, up to the home page it
// opens. Then a repeat visit in the same profile, which should take the WASM from the
// service worker and none from the network.
// Usage (from end2end/, for its node_modules):
//   PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS=1 node ../bench/first-visit.mjs http://127.0.0.1:PORT PHONE PASSWORD
import { createRequire } from "node:module";

// Playwright from end2end/node_modules (the working directory).
const { chromium } = createRequire(process.cwd() + "/")("@playwright/test");

const [base, phone, password] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "ar" });
let rows = [];
context.on("requestfinished", async (request) => {
  const response = await request.response();
  const sizes = await request.sizes();
  rows.push({
    url: request.url(),
    bytes: sizes.responseBodySize + sizes.responseHeadersSize,
    fromWorkerCache: response ? response.fromServiceWorker() : false,
    byWorker: request.serviceWorker() !== null,
  });
});
const kind = (url) => {
  const path = new URL(url).pathname;
  if (path.endsWith(".wasm")) return "wasm";
  if (path.endsWith(".js")) return "js";
  if (path.endsWith(".css")) return "css";
  if (path.endsWith(".woff2")) return "font";
  if (path.startsWith("/api/")) return "server functions";
  if (path.endsWith(".png") || path.endsWith(".webmanifest")) return "icons+manifest";
  return "html";
};
const network = (list) => list.filter((r) => !r.fromWorkerCache);
const sum = (list) => list.reduce((n, r) => n + r.bytes, 0);

const page = await context.newPage();
await page.goto(base + "/");
await page.waitForLoadState("networkidle");
await page.getByRole("link", { name: "تسجيل الدخول" }).first().click();
await page.waitForURL("**/sign-in");
await page.waitForLoadState("networkidle");
await page.evaluate(async () => {
  await navigator.serviceWorker.ready;
});
await page.waitForTimeout(2000);
const first = network(rows);
const byKind = {};
for (const r of first) byKind[kind(r.url)] = (byKind[kind(r.url)] ?? 0) + r.bytes;
const byWorker = sum(first.filter((r) => r.byWorker));

// Signing in: the form's post and the home page it opens.
rows = [];
await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
await page.getByLabel("كلمة المرور").fill(password);
await page.getByRole("button", { name: "دخول" }).click();
await page.waitForURL("**/home");
await page.waitForLoadState("networkidle");
await page.waitForTimeout(2000);
const signIn = network(rows);

rows = [];
const again = await context.newPage();
await again.goto(base + "/");
await again.waitForLoadState("networkidle");
await again.waitForTimeout(1000);
const repeat = network(rows);
console.log(
  JSON.stringify({
    first_visit_bytes: sum(first),
    first_visit_by_kind: byKind,
    first_visit_bytes_fetched_by_service_worker: byWorker,
    first_visit_requests: first.length,
    first_visit_app_files: first.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith("/pkg/") && !p.endsWith(".css")),
    sign_in_to_home_bytes: sum(signIn),
    sign_in_to_home_wasm_bytes: sum(signIn.filter((r) => kind(r.url) === "wasm")),
    sign_in_to_home_requests: signIn.length,
    repeat_visit_bytes_from_network: sum(repeat),
    repeat_visit_wasm_bytes_from_network: sum(repeat.filter((r) => kind(r.url) === "wasm")),
  }),
);
await browser.close();
