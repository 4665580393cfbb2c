import { Browser, BrowserContext, expect, Locator, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FUND_EMAIL = "fund@pfesp.ps";
export const FUND_PASSWORD = "fund-admin-pass-1";
export const PASSWORD = "sesame-street-42";

/** A Palestinian mobile number nobody else in this run has. */
export function uniquePhone(): string {
  return "059" + String(Math.floor(Math.random() * 1e7)).padStart(7, "0");
}

/** Waits until the page is hydrated (the app marks <body> once its effects run). */
export async function hydrated(page: Page) {
  if (await page.evaluate(() => true).catch(() => false)) {
    // The public pages are plain HTML without WASM (app::PLAIN_PAGES): ready once loaded.
    await expect(page.locator("html[data-plain], body[data-hydrated]").first()).toBeAttached();
  }
}

/** Zero WCAG 2.2 A/AA violations on the page as it is now. axe leaves its target-size
 * check (2.5.8, 24×24 px or enough space) off unless asked: it is switched on here. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .options({ rules: { "target-size": { enabled: true } } })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  expect(
    [...results.passes, ...results.violations, ...results.inapplicable].some((r) => r.id === "target-size"),
    "axe ran its target-size check",
  ).toBe(true);
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, "axe violations").toEqual([]);
}

/** Whether this viewport shows the phone's tab bar (and keeps the rest in the menu page). */
export async function onPhone(page: Page): Promise<boolean> {
  return page.locator(".tab-bar").isVisible();
}

/** Goes to a place of the site menu as a reader of this viewport does: the header's entry
 * on a desktop; on a phone its tab, or "more" and then the menu page's entry. */
export async function openFromMenu(page: Page, name: string | RegExp) {
  if (await onPhone(page)) {
    const tab = page.locator(".tab-bar").getByRole("link", { name, exact: true });
    if (await tab.count()) {
      await tab.click();
      return;
    }
    await page.locator(".tab-bar").getByRole("link", { name: /^(المزيد|More)/ }).click();
    await expect(page).toHaveURL(/\/menu$/);
    await page.locator("main").getByRole("link", { name, exact: true }).click();
    return;
  }
  await page.locator(".site-header").getByRole("link", { name, exact: true }).click();
}

/** Signs out from the menu (on a phone, through "more"). */
export async function signOut(page: Page, name = "تسجيل الخروج") {
  if (await onPhone(page)) {
    await page.locator(".tab-bar").getByRole("link", { name: /^(المزيد|More)/ }).click();
    await expect(page).toHaveURL(/\/menu$/);
  }
  await page.getByRole("button", { name }).click();
}

export async function expectArabic(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
}

export async function expectEnglish(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
}

/** Fills the registration form (Arabic labels). */
export async function fillRegistration(page: Page, name: string, phone: string, password = PASSWORD) {
  await page.getByLabel("الاسم الكامل").fill(name);
  await page.getByLabel("رقم الجوال").fill(phone);
  await page.getByLabel("كلمة المرور").fill(password);
  await page.getByLabel("أنثى").check();
  await page.getByLabel("تاريخ الميلاد").fill("1995-05-01");
  await page.getByLabel("المحافظة").selectOption("gaza");
}

/**
 * axe needs JavaScript in the page, so for a page rendered with JavaScript off the same HTML
 * (scripts removed) is checked in a JavaScript-enabled tab on the same origin, with the
 * site's stylesheet, so contrast and layout are judged as the reader sees them.
 */
export async function expectAccessibleWithoutJs(page: Page) {
  const html = (await page.content()).replace(/<script[\s\S]*?<\/script>/gi, "");
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser");
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() ?? undefined });
  try {
    const copy = await context.newPage();
    await copy.goto(new URL("/healthz", page.url()).toString());
    await copy.setContent(html, { waitUntil: "load" });
    await expectAccessible(copy);
  } finally {
    await context.close();
  }
}

/** Registers an entrepreneur through the server function; the page's context is signed in. */
export async function registerViaApi(page: Page, name: string, phone: string) {
  const response = await page.request.post("/api/auth/register", {
    headers: { accept: "application/json" },
    form: {
      "input[full_name]": name,
      "input[phone]": phone,
      "input[email]": "",
      "input[password]": PASSWORD,
      "input[gender]": "male",
      "input[birth_date]": "1990-01-01",
      "input[governorate]": "rafah",
      "input[chamber]": "",
    },
  });
  expect(response.status()).toBe(200);
}

/** Creates a plan through the page and opens it; answers its path. */
export async function startPlan(page: Page, title: string): Promise<string> {
  await page.goto("/plans");
  await hydrated(page);
  await page.getByLabel("اسم الخطة").fill(title);
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await hydrated(page);
  return new URL(page.url()).pathname;
}

/** The full plan of the server tests, as a `riyada.plan.v1` document. */
export const FULL_PLAN_PATH = join(__dirname, "../../server/tests/fixtures/full-plan.json");

/** Imports the full example plan for the signed-in entrepreneur; returns its id. */
export async function importViaApi(page: Page): Promise<number> {
  const document = readFileSync(FULL_PLAN_PATH, "utf8");
  const response = await page.request.post("/api/plans/import", {
    headers: { accept: "application/json", "content-type": "application/json" },
    data: { document },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as number;
}

/** Signs the Fund in (in its own context) and creates a staff account; returns its e-mail. */
export async function createStaff(
  browser: Browser,
  role: "advisor" | "chamber-manager",
  chamber: string,
  name?: string,
): Promise<string> {
  const email = `${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@${chamber}-chamber.ps`;
  const fund = await browser.newContext();
  const login = await fund.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: FUND_EMAIL, password: FUND_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const created = await fund.request.post("/api/admin/users/create", {
    headers: { accept: "application/json" },
    form: {
      "input[full_name]": name ?? (role === "advisor" ? `مستشار ${chamber}` : `مدير ${chamber}`),
      "input[email]": email,
      "input[phone]": "",
      "input[role]": role,
      "input[chamber]": chamber,
      "input[password]": PASSWORD,
    },
  });
  expect(created.status()).toBe(200);
  await fund.close();
  return email;
}

/** A new browser context signed in as `email`. */
export async function signedIn(browser: Browser, email: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const login = await context.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: email, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  return context;
}

/** A message the portal sent, as the test SMTP server received it. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Everything the test SMTP server received so far, oldest first. */
export function receivedMail(): Mail[] {
  const out = execFileSync("python3", [join(__dirname, "../read-mail.py"), process.env.RIYADA_E2E_MAILDIR ?? ""]);
  return JSON.parse(out.toString()) as Mail[];
}

/** Waits for the portal's mail worker to deliver a message to `to` matching `match`. */
export async function mailTo(to: string, match: RegExp): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        found = receivedMail().find((m) => m.to.includes(to) && match.test(m.text));
        return found !== undefined;
      },
      { timeout: 20_000, message: `an e-mail to ${to} matching ${match}` },
    )
    .toBe(true);
  return found as Mail;
}

/** A message in the portal's e-mail outbox. */
export interface Queued {
  to: string;
  attempts: number;
  sent: boolean;
  failed: boolean;
}

/** The portal's e-mail outbox, oldest first (read from the server's database). */
export function outbox(): Queued[] {
  const db = join(process.env.RIYADA_E2E_DATA_DIR ?? "", "riyada.db");
  const out = execFileSync("python3", [join(__dirname, "../read-outbox.py"), db]);
  return JSON.parse(out.toString()) as Queued[];
}

/** Waits until the outbox's messages to `to` satisfy `done` (the mail worker has acted). */
export async function outboxTo(to: string, done: (messages: Queued[]) => boolean, message: string) {
  await expect
    .poll(() => done(outbox().filter((m) => m.to === to)), { timeout: 20_000, message })
    .toBe(true);
}

/** Stops or starts the test SMTP server (an outage, and its end). */
export function smtp(command: "start" | "stop") {
  execFileSync("bash", [join(__dirname, "../smtp-sink.sh"), command], { stdio: "inherit" });
}

/** Registers an entrepreneur with an e-mail address; the page's context is signed in. */
export async function registerWithEmail(page: Page, name: string, phone: string, email: string) {
  const response = await page.request.post("/api/auth/register", {
    headers: { accept: "application/json" },
    form: {
      "input[full_name]": name,
      "input[phone]": phone,
      "input[email]": email,
      "input[password]": PASSWORD,
      "input[gender]": "female",
      "input[birth_date]": "1992-03-01",
      "input[governorate]": "rafah",
      "input[chamber]": "",
    },
  });
  expect(response.status()).toBe(200);
}

/** Rows of a read-only query over the server's database (`read-db.py`). */
export function dbRows(sql: string, ...args: (string | number)[]): (string | number | null)[][] {
  const db = join(process.env.RIYADA_E2E_DATA_DIR ?? "", "riyada.db");
  const out = execFileSync("python3", [join(__dirname, "../read-db.py"), db, sql, ...args.map(String)]);
  return JSON.parse(out.toString());
}

/** The North Gaza establishment (from the demo data) a project works on: (id, name). */
export function establishmentFor(project: string): [number, string] {
  const projects = ["phone", "desktop", "phone-nojs", "desktop-nojs"];
  const [[id, name]] = dbRows(
    "SELECT e.id, e.name FROM establishments e JOIN chambers c ON c.id = e.chamber_id " +
      "WHERE c.code = 'north_gaza' ORDER BY e.id LIMIT 1 OFFSET ?",
    projects.indexOf(project),
  );
  return [Number(id), String(name)];
}

/** Signs the page's context in (works with JavaScript off: the request is the test's). */
export async function signInAs(page: Page, email: string, password = PASSWORD) {
  const login = await page.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: email, password },
  });
  expect(login.status()).toBe(200);
}

/** A text message the portal sent, as the test SMS gateway received it. */
export interface Sms {
  to: string;
  text: string;
  from: string;
}

export function receivedSms(): Sms[] {
  const file = process.env.RIYADA_E2E_SMS_FILE ?? "";
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Sms);
}

/** Waits for the portal's SMS worker to deliver a message matching `match` to the mobile
 * number `phone` (as typed: 059…); answers the newest such message. */
export async function smsTo(phone: string, match: RegExp): Promise<Sms> {
  const number = "+970" + phone.replace(/^0/, "");
  let found: Sms | undefined;
  await expect
    .poll(
      () => {
        found = receivedSms()
          .filter((m) => m.to === number && match.test(m.text))
          .pop();
        return found !== undefined;
      },
      { timeout: 20_000, message: `an SMS to ${number} matching ${match}` },
    )
    .toBe(true);
  return found as Sms;
}

/** The six-digit code in the newest message to `phone` matching `match`. */
export async function codeSentTo(phone: string, match: RegExp): Promise<string> {
  const sms = await smsTo(phone, match);
  const code = /(\d{6})/.exec(sms.text)?.[1] ?? "";
  expect(code, sms.text).not.toBe("");
  return code;
}

/** Confirms the signed-in entrepreneur's number with the code registration texted to it. */
export async function confirmPhoneViaApi(page: Page, phone: string) {
  const code = await codeSentTo(phone, /تأكيد رقم جوالك/);
  const response = await page.request.post("/api/profile/verify-phone", {
    headers: { accept: "application/json" },
    form: { code },
  });
  expect(response.status()).toBe(200);
}

/**
 * Counts the page's requests from now on; `quiet()` waits until none is in flight and the
 * page has drawn once more. A check after it sees what any reload the last answer started
 * has drawn, so "this stayed" is not read before the page could have changed it.
 */
export function watchRequests(page: Page) {
  let inFlight = 0;
  const started = () => inFlight++;
  const ended = () => inFlight--;
  page.on("request", started);
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  return {
    async quiet() {
      await expect.poll(() => inFlight, { message: "requests still in flight" }).toBe(0);
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    },
    stop() {
      page.off("request", started);
      page.off("requestfinished", ended);
      page.off("requestfailed", ended);
    },
  };
}

/**
 * Types `typed` into `box`, sends its form with `submit`, expects `error` to say `message`,
 * and then, once no request is in flight (after any reload the refusal could have started),
 * expects the box to hold what was typed still.
 */
export async function expectRefusalKeeps(box: Locator, typed: string, submit: Locator, error: Locator, message: string) {
  await box.fill(typed);
  const requests = watchRequests(box.page());
  try {
    await submit.click();
    await expect(error).toHaveText(message);
    await requests.quiet();
  } finally {
    requests.stop();
  }
  await expect(box).toHaveValue(typed);
}
