import { BrowserContext, chromium, expect, Page, test } from "@playwright/test";
import { ChildProcess, execSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FUND_EMAIL, FUND_PASSWORD, hydrated, PASSWORD, registerViaApi, signOut, startPlan, uniquePhone } from "./helpers";

// These tests switch the server off to be really offline (the page and the service worker
// both lose it), so they run against a server of their own, on its own port (and so with
// its own service worker), over a data directory that survives the restart.
const port = execSync(
  `python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'`,
)
  .toString()
  .trim();
const origin = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync("/tmp/riyada-e2e-pwa.");
let server: ChildProcess | undefined;

async function serverUp(siteRoot?: string) {
  const site = siteRoot ? { RIYADA_SITE_ROOT: siteRoot } : {};
  server = spawn("bash", ["./start-server.sh", port, process.env.RIYADA_E2E_SMTP_PORT ?? "2525", process.env.RIYADA_E2E_SMS_PORT ?? ""], {
    env: { ...process.env, RIYADA_E2E_DATA_DIR: dataDir, RIYADA_E2E_NO_DEMO: "1", ...site },
    stdio: "ignore",
  });
  await expect
    .poll(async () => (await fetch(`${origin}/healthz`).catch(() => undefined))?.status, { timeout: 120_000 })
    .toBe(200);
}

/** Killed, and gone: the next start finds the port free (a kill is only a request, and a
 * server started while the old one still held the port could not listen). */
async function serverDown() {
  const running = server;
  server = undefined;
  if (!running || running.exitCode !== null || running.signalCode !== null) return;
  const gone = new Promise((resolve) => running.once("exit", resolve));
  running.kill("SIGKILL");
  await gone;
}

/** Off: the server is gone and the browser knows it has no network. */
async function goOffline(context: BrowserContext) {
  await serverDown();
  await context.setOffline(true);
}

async function goOnline(context: BrowserContext) {
  await serverUp();
  await context.setOffline(false);
}

/** Until the service worker has stored the app shell and controls the page. */
async function workerReady(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** Until the service worker has stored this page for offline reading. */
async function stored(page: Page, path: string) {
  await expect
    .poll(() =>
      page.evaluate(async (path) => {
        for (const name of await caches.keys()) {
          if (name.startsWith("riyada-pages-") && (await (await caches.open(name)).match(path))) return true;
        }
        return false;
      }, path),
    )
    .toBe(true);
}

/** Is this page stored for offline reading now? */
async function isStored(page: Page, path: string): Promise<boolean> {
  return page.evaluate(async (path) => {
    for (const name of await caches.keys()) {
      if (name.startsWith("riyada-pages-") && (await (await caches.open(name)).match(path))) return true;
    }
    return false;
  }, path);
}

/** A new entrepreneur starts a plan in the browser; answers its path, once the worker runs. */
async function entrepreneurWithPlan(page: Page, name: string, title: string): Promise<string> {
  await registerViaApi(page, name, uniquePhone());
  const path = await startPlan(page, title);
  await workerReady(page);
  return path;
}

test.use({ baseURL: origin });
test.beforeAll(() => serverUp());
test.afterAll(serverDown);

test("Chromium finds the portal installable with no errors", async ({}, testInfo) => {
  // Installing needs a real profile: Playwright's usual contexts are incognito ones.
  const use = testInfo.project.use;
  const context = await chromium.launchPersistentContext(mkdtempSync("/tmp/riyada-e2e-profile."), {
    executablePath: use.launchOptions?.executablePath,
    args: use.launchOptions?.args,
    viewport: use.viewport,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    deviceScaleFactor: use.deviceScaleFactor,
    locale: "ar",
    baseURL: origin,
  });
  try {
    const page = await context.newPage();
    await page.goto("/");
    await hydrated(page);
    await workerReady(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toBe(`${origin}/manifest.webmanifest`);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

/** The app's files (WebAssembly and its JavaScript) this page has asked for so far. */
function appFiles(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm") || (path.startsWith("/pkg/") && path.endsWith(".js"))) seen.push(path);
  });
  return seen;
}

test("a first visit, landing, sign-in and the home page it opens, downloads no WebAssembly; the plans page brings the app and the worker keeps it", async ({
  page,
}) => {
  const phone = uniquePhone();
  const app = appFiles(page);
  let bytes = 0;
  const sizes: Promise<void>[] = [];
  page.on("requestfinished", (request) =>
    sizes.push(
      request.sizes().then((s) => {
        bytes += s.responseBodySize + s.responseHeadersSize;
      }),
    ),
  );
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ابدأ مشروعك بخطوات واضحة");
  // The worker installs while the landing page is read (its downloads are counted too); a
  // click made before it takes over would leave the sign-in page outside it until the next.
  await workerReady(page);
  await page.getByRole("link", { name: "تسجيل الدخول" }).first().click();
  await page.waitForURL("**/sign-in");
  await workerReady(page);
  await page.waitForLoadState("networkidle");
  await Promise.all(sizes);
  expect(app).toEqual([]);
  // The page, its stylesheet, font, icons and the worker: far under the 250 KB budget (the
  // app alone is several times that).
  expect(bytes).toBeLessThan(250_000);

  // The sign-in form posts without the app, and the home page it opens is plain too: a
  // person who signs in to see where they stand pays for no WebAssembly.
  await registerViaApi(page, "هالة سمير", phone);
  await page.context().clearCookies();
  await page.reload();
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await page.waitForURL("**/home");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("هالة سمير");
  await expect(page.locator("html[data-plain]")).toHaveCount(1);
  await page.waitForLoadState("networkidle");
  expect(app).toEqual([]);
  // The first page that needs the app loads it.
  await page.getByRole("link", { name: "خططي" }).first().click();
  await page.waitForURL("**/plans");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  expect(app.some((path) => path.endsWith(".wasm"))).toBe(true);
  // The worker kept the app it loaded, for pages read offline.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const names = await caches.keys();
        const shell = names.find((n) => n.startsWith("riyada-shell-"));
        if (!shell) return [];
        return (await (await caches.open(shell)).keys()).map((r) => new URL(r.url).pathname).filter((p) => p.endsWith(".wasm"));
      }),
    )
    .toHaveLength(1);
});

/** How many times the page's own thread fetched the app's WebAssembly (a worker's fetches
 * are in the worker's timeline, not the page's). */
function fetchedByThePage(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByType("resource").filter((entry) => entry.name.endsWith(".wasm")).length);
}

test("a page that needs the app downloads its WebAssembly once, compiled by a worker thread", async ({ page, context }) => {
  // Every download in the context, the worker's and the service worker's too (a copy
  // the browser already had costs no bytes): a preload in the page as well as the worker's
  // fetch would be the 900 KB twice on a metered line.
  const answers: Promise<number>[] = [];
  context.on("requestfinished", (request) => {
    if (new URL(request.url()).pathname.endsWith(".wasm")) {
      answers.push(request.sizes().then((sizes) => sizes.responseBodySize));
    }
  });
  const downloads = async () => (await Promise.all(answers)).filter((bytes) => bytes > 0).length;
  const workers: string[] = [];
  page.on("worker", (worker) => workers.push(new URL(worker.url()).pathname));
  await registerViaApi(page, "ريم حسن", uniquePhone());
  await page.goto("/plans");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  expect(workers).toContain("/wasm-worker.js");
  expect(await downloads()).toBe(1);
  // The page's own thread did not fetch it (the worker did, and handed over the module).
  expect(await fetchedByThePage(page)).toBe(0);
  // The page's islands run: plan import, which reads the file in the browser, is enabled.
  await expect(page.getByRole("button", { name: "استيراد كخطة جديدة" })).toBeEnabled();
  // The next page with islands starts from the copy already on the device.
  await page.goto("/documents");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  expect(await downloads()).toBe(1);
  expect(await fetchedByThePage(page)).toBe(0);
});

test("a page keeps its title while the app starts", async ({ page }) => {
  // Reads the title in task after task, from the page's first bytes until well after it is
  // hydrated: each read is what a reader's tab (and a screen reader) could show then.
  await page.addInitScript(() => {
    const seen = { blank: 0, afterHydration: 0 };
    (window as { titleReads?: typeof seen }).titleReads = seen;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      if (document.querySelector("title") && document.title === "") seen.blank += 1;
      if (document.body?.hasAttribute("data-hydrated")) seen.afterHydration += 1;
      if (seen.afterHydration < 200) channel.port2.postMessage(null);
    };
    channel.port2.postMessage(null);
  });
  await registerViaApi(page, "منى داود", uniquePhone());
  await page.goto("/plans");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const reads = () => page.evaluate(() => (window as { titleReads?: { blank: number; afterHydration: number } }).titleReads);
  await expect.poll(async () => (await reads())?.afterHydration).toBe(200);
  expect((await reads())?.blank, "reads that found the title empty").toBe(0);
  await expect(page).toHaveTitle("خطط العمل · ريادة");
});

test.describe("without a worker thread", () => {
  // The service worker would answer the worker's script before the test's route could.
  test.use({ serviceWorkers: "block" });

  test("a browser without workers, or whose worker fails, still starts the app itself", async ({ page }) => {
    await registerViaApi(page, "سامر خليل", uniquePhone());
    const wasm: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.endsWith(".wasm")) wasm.push(request.url());
    });
    await page.addInitScript(() => {
      // An old browser: no Worker at all.
      delete (window as { Worker?: unknown }).Worker;
    });
    await page.goto("/plans");
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    expect(wasm).toHaveLength(1);
    expect(await fetchedByThePage(page)).toBe(1);

    // A worker that cannot be loaded (a filter, a broken proxy): the page compiles it.
    const fresh = await page.context().newPage();
    await fresh.route("**/wasm-worker.js", (route) => route.abort());
    await fresh.goto("/plans");
    await expect(fresh.locator("body[data-hydrated]")).toHaveCount(1);
    expect(await fetchedByThePage(fresh)).toBe(1);
  });
});

test("the app shell opens with the network off, and a page never opened says so", async ({ page, context }) => {
  const app = appFiles(page);
  await page.goto("/");
  await hydrated(page);
  await workerReady(page);
  await stored(page, "/");

  await goOffline(context);
  // The landing page as last seen and styled; a plain page, it needs no WASM.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ابدأ مشروعك بخطوات واضحة");
  await expect(page.locator("html[data-plain]")).toHaveCount(1);
  expect(app).toEqual([]);
  await expect(page.locator(".site-header")).toHaveCSS("background-color", "rgb(15, 94, 77)");
  await expect(page.getByText("لا يوجد اتصال — تعرض نسخة محفوظة على هذا الجهاز")).toBeVisible();
  // A page never opened on this device: the offline page says why and where to go.
  await page.goto("/services/formalise");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("لا يوجد اتصال بالإنترنت");
  await expect(page.getByRole("link", { name: "خططي" })).toBeVisible();
  await goOnline(context);
  await page.reload();
  await expect(page.getByText("لا يوجد اتصال — تعرض نسخة")).toBeHidden();
});

test("a plan edited offline in two sections keeps both on the device and saves them when the connection returns", async ({
  page,
  context,
}) => {
  const planUrl = await entrepreneurWithPlan(page, "سماح يوسف", "مخبز العائلة");
  // Opened once online: home, the case file, the plan and its two sections.
  for (const path of ["/home", "/case", planUrl, `${planUrl}/idea`, `${planUrl}/market`]) {
    await page.goto(path);
    await hydrated(page);
    await stored(page, path);
  }

  await goOffline(context);
  const idea = "مخبز صغير في خانيونس يبيع الخبز الطازج والمعجنات للحي كل صباح.";
  const market = "الزبائن أسر الحي والمدارس القريبة، ولا يوجد مخبز آخر على بعد كيلومتر.";
  await page.goto(`${planUrl}/idea`);
  await hydrated(page);
  await page.getByLabel("النص").fill(idea);
  await expect(page.locator(".save-status").first()).toContainText("حُفظ على هذا الجهاز");
  await page.goto(`${planUrl}/market`);
  await hydrated(page);
  await page.getByLabel("النص").fill(market);
  await expect(page.locator(".save-status").first()).toContainText("حُفظ على هذا الجهاز");
  // Reloaded without a connection: both edits are still there.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("النص")).toHaveValue(market);
  await expect(page.getByText("استعدنا من هذا الجهاز تغييرات لم تُحفظ بعد")).toBeVisible();
  await page.goto(`${planUrl}/idea`);
  await hydrated(page);
  await expect(page.getByLabel("النص")).toHaveValue(idea);
  // Home and the case file read offline too.
  await page.goto("/home");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/case");
  await expect(page.getByText("مخبز العائلة").first()).toBeVisible();
  await page.goto(`${planUrl}/idea`);
  await hydrated(page);

  await goOnline(context);
  // The section on screen saves itself; the other one is sent in the background.
  await expect(page.locator(".save-status").first()).toContainText("حُفظ الساعة");
  await expect(page.getByText("أُرسلت إلى الخادم تعديلاتك التي كانت محفوظة على هذا الجهاز")).toBeVisible();
  // Downloaded from the page, through the service worker.
  const text = await page.evaluate((url) => fetch(url).then((r) => r.text()), `${planUrl}/export/plan.json`);
  expect(text).toContain(idea);
  expect(text).toContain(market);
  // Nothing waits on the device any more.
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("riyada:plan:")));
  expect(kept).toEqual([]);

  // The device keeps pages, never server answers, downloads or exports.
  const cachedPaths = () =>
    page.evaluate(async () => {
      const paths: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
      }
      return paths;
    });
  const paths = await cachedPaths();
  expect(paths).toContain(`${planUrl}/idea`);
  expect(paths.filter((p) => p.startsWith("/api/") || p.includes("/export/") || p.startsWith("/uploads"))).toEqual([]);
  // Signing out forgets the account's pages on this device.
  await signOut(page);
  await expect.poll(async () => (await cachedPaths()).filter((p) => p.startsWith("/plans") || p === "/case")).toEqual([]);
});

test("the home page starts the app only while edits wait on the device, and then sends them", async ({ page, context }) => {
  const planUrl = await entrepreneurWithPlan(page, "نادر سليم", "ورشة نجارة");
  await page.goto(`${planUrl}/idea`);
  await hydrated(page);
  await goOffline(context);
  const idea = "ورشة نجارة صغيرة في نابلس تصنع الأبواب والخزائن حسب الطلب.";
  await page.getByLabel("النص").fill(idea);
  await expect(page.locator(".save-status").first()).toContainText("حُفظ على هذا الجهاز");
  await page.close();

  // Back online the next day, the portal opens on the home page: a plain page, but with an
  // edit waiting on this device it starts the app, which sends the edit.
  await goOnline(context);
  const home = await context.newPage();
  const app = appFiles(home);
  await home.goto("/home");
  await expect(home.locator("html[data-plain]")).toHaveCount(1);
  await expect(home.getByText("أُرسلت إلى الخادم تعديلاتك التي كانت محفوظة على هذا الجهاز")).toBeVisible();
  expect(app.some((path) => path.endsWith(".wasm"))).toBe(true);
  const text = await (await home.request.get(`${planUrl}/export/plan.json`)).text();
  expect(text).toContain(idea);
  await expect.poll(() => home.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("riyada:plan:")))).toEqual([]);

  // Nothing waits any more: the home page stays plain and asks for no part of the app.
  const again = await context.newPage();
  const none = appFiles(again);
  await again.goto("/home");
  await expect(again.getByRole("heading", { level: 1 })).toContainText("نادر سليم");
  await again.waitForLoadState("networkidle");
  expect(none).toEqual([]);
  await expect(again.locator("body[data-hydrated]")).toHaveCount(0);
});

test("a section changed elsewhere while edited offline shows both versions and drops neither", async ({ page, context, browser }) => {
  const planUrl = await entrepreneurWithPlan(page, "رامي حسن", "محل خياطة");
  await page.goto(`${planUrl}/idea`);
  await hydrated(page);
  await stored(page, `${planUrl}/idea`);

  await goOffline(context);
  await page.getByLabel("النص").fill("نسخة الهاتف: خياطة وتعديل ملابس.");
  await expect(page.locator(".save-status").first()).toContainText("حُفظ على هذا الجهاز");
  await page.goto("/home"); // leave the section; the edit waits on the device
  await serverUp();
  // Meanwhile the same section is written on another device.
  const cookies = await context.cookies(origin);
  const laptop = await browser.newContext({ baseURL: origin });
  await laptop.addCookies(cookies);
  const other = await laptop.newPage();
  await other.goto(`${planUrl}/idea`);
  await hydrated(other);
  await other.getByLabel("النص").fill("نسخة الحاسوب: خياطة فساتين المناسبات.");
  await expect(other.locator(".save-status").first()).toContainText("حُفظ الساعة");
  await laptop.close();

  await context.setOffline(false);
  await page.goto(`${planUrl}/idea`);
  await hydrated(page);
  // Mine in the editor, theirs beside it, and the choice is the person's.
  await expect(page.getByLabel("النص")).toHaveValue("نسخة الهاتف: خياطة وتعديل ملابس.");
  await expect(page.locator(".saved-version")).toContainText("نسخة الحاسوب: خياطة فساتين المناسبات.");
  await expect(page.locator(".save-status").first()).toContainText("عُدّلت هذه الخطة من جهاز آخر");
  await page.getByRole("button", { name: "احتفظ بنسختي" }).click();
  await expect(page.locator(".save-status").first()).toContainText("حُفظ الساعة");
  const text = await (await page.request.get(`${planUrl}/export/plan.json`)).text();
  expect(text).toContain("نسخة الهاتف");
});

test("a new version is offered once it is ready, and one tap reloads into it", async ({ page }) => {
  // Two builds of the site: the second has one more icon, so a new service worker version.
  const built = process.env.RIYADA_SITE_ROOT ?? join(__dirname, "../../target/site");
  const first = mkdtempSync("/tmp/riyada-e2e-site.");
  const second = mkdtempSync("/tmp/riyada-e2e-site.");
  cpSync(built, first, { recursive: true });
  cpSync(built, second, { recursive: true });
  cpSync(join(second, "icons", "icon-192.png"), join(second, "icons", "icon-192-new.png"));
  try {
    await serverDown();
    await serverUp(first);
    await page.goto("/");
    await hydrated(page);
    await workerReady(page);
    // The page reloads by itself after the tap: a read during the reload is tried again.
    const version = () =>
      page
        .evaluate(async () => (await caches.keys()).filter((n) => n.startsWith("riyada-shell-")))
        .catch(() => ["(reloading)"]);
    const before = await version();
    expect(before).toHaveLength(1);
    await expect(page.getByText("نسخة جديدة من ريادة جاهزة.")).toBeHidden();

    await serverDown();
    await serverUp(second);
    await page.reload();
    await hydrated(page);
    await expect(page.getByText("نسخة جديدة من ريادة جاهزة.")).toBeVisible();
    await page.getByRole("button", { name: "حدّث الآن" }).click();
    // Reloaded under the new version, whose cache replaced the old one.
    await expect.poll(version).not.toEqual(before);
    await expect.poll(async () => (await version()).length).toBe(1);
    await hydrated(page);
    await expect(page.getByText("نسخة جديدة من ريادة جاهزة.")).toBeHidden();
  } finally {
    await serverDown();
    await serverUp();
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  }
});

test("a session ended elsewhere takes the stored pages with it, and a staff device keeps none", async ({ page, browser }) => {
  const phone = uniquePhone();
  await registerViaApi(page, "نور سالم", phone);
  const plan = await startPlan(page, "مطبخ نور");
  await workerReady(page);
  await stored(page, plan);
  await page.goto("/");
  await stored(page, "/");

  // Her password is changed on another device: every session of hers ends, this one too.
  const other = await browser.newContext();
  const signIn = await other.request.post(`${origin}/api/auth/login`, {
    headers: { accept: "application/json" },
    form: { identifier: phone, password: PASSWORD },
  });
  expect(signIn.status()).toBe(200);
  const changed = await other.request.post(`${origin}/api/profile/password`, {
    headers: { accept: "application/json" },
    form: { current_password: PASSWORD, new_password: "a-new-secret-42" },
  });
  expect(changed.status()).toBe(200);
  await other.close();
  // The next page this device loads is a signed-out one: her plan leaves the device, the
  // public pages stay.
  await page.goto("/plans");
  await expect.poll(() => isStored(page, plan)).toBe(false);
  expect(await isStored(page, "/")).toBe(true);

  // A Fund administrator on this device: their pages hold other people's data, so the
  // device keeps none at all.
  const fund = await page.request.post(`${origin}/api/auth/login`, {
    headers: { accept: "application/json" },
    form: { identifier: FUND_EMAIL, password: FUND_PASSWORD },
  });
  expect(fund.status()).toBe(200);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ابدأ مشروعك بخطوات واضحة");
  await expect.poll(() => isStored(page, "/")).toBe(false);
});
