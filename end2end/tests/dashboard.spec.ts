import { test, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { join } from "node:path";
import {
  FUND_EMAIL,
  FUND_PASSWORD,
  createStaff,
  expectAccessible,
  expectAccessibleWithoutJs,
  hydrated,
  registerViaApi,
  signedIn,
  uniquePhone,
} from "./helpers";

// The server under test starts with demo data in the Khan Younis and North Gaza chambers
// (start-server.sh), which no other test writes to: the figures below are counted here from
// the database's rows, on their own, and compared with what the page shows.

/** Rows of a read-only query over the server's database. */
function rows(sql: string, ...args: (string | number)[]): (string | number | null)[][] {
  const db = join(process.env.RIYADA_E2E_DATA_DIR ?? "", "riyada.db");
  const out = execFileSync("python3", [join(__dirname, "../read-db.py"), db, sql, ...args.map(String)]);
  return JSON.parse(out.toString());
}

function one(sql: string, ...args: (string | number)[]): number {
  return Number(rows(sql, ...args)[0][0] ?? 0);
}

/** Arabic-Indic digits and decimal separator read as ASCII. */
function western(text: string): string {
  return text
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/٫/g, ".")
    .trim();
}

/** A downloaded workbook's first sheet: its name, direction and cell values. */
async function readWorkbook(path: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const sheet = book.worksheets[0];
  const values: unknown[][] = [];
  sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
  return { name: sheet.name, rightToLeft: sheet.views[0]?.rightToLeft === true, rows: values };
}

const PLANS = "FROM plans p JOIN users u ON u.id = p.owner_id WHERE p.deleted_at IS NULL AND u.chamber_id = ? AND u.gender = 'female' AND p.sector = ?";
const LATER = "('approved', 'referred', 'funded', 'operating')";

async function signInAsFund(page: Page) {
  const login = await page.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: FUND_EMAIL, password: FUND_PASSWORD },
  });
  expect(login.status()).toBe(200);
}

test("the Fund filters the dashboard by a Gaza chamber, women and a sector, and downloads what it sees", async ({
  page,
}) => {
  const chamber = one("SELECT id FROM chambers WHERE code = 'khan_younis'");
  // The sector with the most submitted plans of Khan Younis's women.
  const [[sector]] = rows(
    "SELECT p.sector FROM plans p JOIN users u ON u.id = p.owner_id WHERE u.chamber_id = ? AND u.gender = 'female' " +
      "AND p.first_submitted_at IS NOT NULL AND p.sector IS NOT NULL GROUP BY p.sector ORDER BY COUNT(*) DESC, p.sector LIMIT 1",
    chamber,
  );
  const drafted = one(`SELECT COUNT(*) ${PLANS}`, chamber, String(sector));
  const submitted = one(`SELECT COUNT(*) ${PLANS} AND EXISTS (SELECT 1 FROM plan_events e WHERE e.plan_id = p.id AND e.action = 'submit')`, chamber, String(sector));
  const reached = (state: string) =>
    one(
      `SELECT COUNT(*) ${PLANS} AND EXISTS (SELECT 1 FROM plan_events e WHERE e.plan_id = p.id AND e.to_status IN (${state}))`,
      chamber,
      String(sector),
    );
  const approved = reached(LATER.slice(1, -1));
  const operating = reached("'operating'");
  const fteTenths = one(
    `SELECT COALESCE(SUM(pp.count * CASE pp.full_time WHEN 1 THEN 10 ELSE 5 END), 0) FROM plan_positions pp JOIN plans p ON p.id = pp.plan_id ` +
      `JOIN users u ON u.id = p.owner_id WHERE p.deleted_at IS NULL AND u.chamber_id = ? AND u.gender = 'female' AND p.sector = ? AND p.status IN ${LATER}`,
    chamber,
    String(sector),
  );
  const people = one(
    "SELECT COUNT(*) FROM users u WHERE u.role = 'entrepreneur' AND u.chamber_id = ? AND u.gender = 'female' " +
      "AND EXISTS (SELECT 1 FROM plans p WHERE p.owner_id = u.id AND p.deleted_at IS NULL AND p.sector = ?)",
    chamber,
    String(sector),
  );
  expect(submitted).toBeGreaterThan(0);

  await signInAsFund(page);
  await page.goto("/fund");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("لوحة مؤشرات الصندوق");
  const allChambers = await page.locator("#chambers-table tbody tr").count();
  expect(allChambers).toBe(16);
  await page.getByLabel("الغرفة").selectOption(String(chamber));
  await page.getByLabel("جنس صاحب/ة الخطة").selectOption("female");
  await page.getByLabel("القطاع").selectOption(String(sector));
  await page.getByRole("button", { name: "عرض" }).click();
  await expect(page).toHaveURL(/gender=female/);
  const url = new URL(page.url());
  expect(url.searchParams.get("chamber")).toBe(String(chamber));
  expect(url.searchParams.get("sector")).toBe(String(sector));

  // Every figure is the independent count.
  await expect(page.locator("#chambers-table tbody tr")).toHaveCount(1);
  await expect(page.locator('[data-kpi="entrepreneurs"]')).toHaveText(/./);
  expect(western(await page.locator('[data-kpi="entrepreneurs"]').innerText())).toBe(String(people));
  expect(western(await page.locator('[data-kpi="submitted"]').innerText())).toBe(String(submitted));
  // The register's establishments of those women in that sector (their project's sector).
  const establishments = one(
    "SELECT COUNT(*) FROM establishments e JOIN users u ON u.id = e.owner_id JOIN plans p ON p.id = e.plan_id " +
      "WHERE u.chamber_id = ? AND u.gender = 'female' AND p.sector = ?",
    chamber,
    String(sector),
  );
  expect(western(await page.locator('[data-kpi="establishments"]').innerText())).toBe(String(establishments));
  const fte = western(await page.locator('[data-kpi="jobs"]').innerText());
  expect(Math.round(Number(fte) * 10)).toBe(fteTenths);
  const funnel = page.locator("#funnel-table tbody tr td:first-of-type");
  await expect(funnel).toHaveCount(7);
  const shown = (await funnel.allInnerTexts()).map((t) => Number(western(t)));
  expect(shown[0]).toBe(drafted);
  expect(shown[1]).toBe(submitted);
  expect(shown[3]).toBe(approved);
  expect(shown[6]).toBe(operating);
  // The chambers' chart has one bar for one chamber, and the data table stands for it.
  await expect(page.locator("section[aria-labelledby=chambers-heading] svg rect")).toHaveCount(1);
  await expectAccessible(page);

  // The funnel's download: the same numbers, Arabic headings, a BOM for Excel.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('a[href^="/fund/export/funnel.csv"]').click(),
  ]);
  const bytes = readFileSync((await download.path()) ?? "");
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString("utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
  expect(lines[0]).toBe("المرحلة,الخطط,من المرحلة السابقة");
  expect(lines.length).toBe(8);
  expect(lines.slice(1).map((l) => Number(l.split(",")[1]))).toEqual(shown);

  // The same table as an Excel workbook: right to left, Arabic headings, numbers as numbers.
  const [workbookDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('a[href^="/fund/export/funnel.xlsx"]').click(),
  ]);
  const funnelBook = await readWorkbook((await workbookDownload.path()) ?? "");
  expect(funnelBook.rightToLeft).toBe(true);
  expect(funnelBook.rows[0]).toEqual(["المرحلة", "الخطط", "من المرحلة السابقة"]);
  expect(funnelBook.rows.slice(1).map((r) => r[1])).toEqual(shown);

  // The review queue of the same chamber, women and sector, downloaded whole: one row per
  // submitted plan counted in the database, each with its submission date as a date.
  await page.goto(`/staff/plans?chamber=${chamber}&gender=female&sector=${sector}`);
  await hydrated(page);
  await expect(page.locator(".queue-total")).toHaveText(/./);
  const [queueDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('a[href^="/review/export/queue.xlsx"]').click(),
  ]);
  const queueBook = await readWorkbook((await queueDownload.path()) ?? "");
  expect(queueBook.name).toBe("قائمة المراجعة");
  const queueRows = queueBook.rows.slice(1);
  expect(queueRows.length).toBe(
    one(`SELECT COUNT(*) ${PLANS} AND p.first_submitted_at IS NOT NULL`, chamber, String(sector)),
  );
  expect(queueRows.every((r) => r[3] === "غرفة تجارة وصناعة خان يونس")).toBe(true);
  expect(queueRows.every((r) => r[7] instanceof Date)).toBe(true);
  await page.goto(url.pathname + url.search);

  // In English: the same figures in Western digits.
  await page.goto(`/lang/en?next=${encodeURIComponent(url.pathname + url.search)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The Fund's dashboard");
  await expect(page.locator('[data-kpi="submitted"]')).toHaveText(String(submitted));
  await expectAccessible(page);
});

test("a chamber manager sees only their chamber; advisors and entrepreneurs are refused", async ({ browser }) => {
  const managerEmail = await createStaff(browser, "chamber-manager", "khan_younis");
  const manager = await signedIn(browser, managerEmail);
  const page = await manager.newPage();
  // Another chamber named in the URL changes nothing.
  const other = one("SELECT id FROM chambers WHERE code = 'north_gaza'");
  await page.goto(`/fund?chamber=${other}`);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("لوحة مؤشرات الغرفة");
  await expect(page.locator("#chambers-table tbody tr")).toHaveCount(1);
  await expect(page.locator("#chambers-table tbody tr th")).toHaveText("غرفة تجارة وصناعة خان يونس");
  await expect(page.getByLabel("الغرفة")).toHaveCount(0);
  const chamber = one("SELECT id FROM chambers WHERE code = 'khan_younis'");
  const people = one("SELECT COUNT(*) FROM users WHERE role = 'entrepreneur' AND chamber_id = ?", chamber);
  expect(western(await page.locator('[data-kpi="entrepreneurs"]').innerText())).toBe(String(people));
  const csv = await page.request.get(`/fund/export/chambers.csv?chamber=${other}`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).trim().split("\r\n").length).toBe(2);
  await expectAccessible(page);
  await manager.close();

  const advisorEmail = await createStaff(browser, "advisor", "khan_younis");
  const advisor = await signedIn(browser, advisorEmail);
  const advisorPage = await advisor.newPage();
  await advisorPage.goto("/fund");
  await expect(advisorPage.getByRole("alert")).toHaveText("ليست لديك صلاحية للقيام بهذا.");
  expect((await advisorPage.request.get("/fund/export/funnel.csv")).status()).toBe(403);
  await advisor.close();

  const entrepreneur = await browser.newContext();
  const own = await entrepreneur.newPage();
  await registerViaApi(own, "سهى عوض", uniquePhone());
  await own.goto("/fund");
  await expect(own.getByRole("alert")).toHaveText("ليست لديك صلاحية للقيام بهذا.");
  expect((await own.request.get("/fund/export/funnel.csv")).status()).toBe(403);
  await entrepreneur.close();
});

test("the dashboard's filters work without JavaScript and bad dates are told", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsFund(page);
  await page.goto("/fund?from=2026-02-30");
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.locator("#dashboard-from-error")).toBeVisible();
  // The form keeps what was typed and works by itself.
  await page.getByLabel("جنس صاحب/ة الخطة").selectOption("female");
  await page.locator("#dashboard-from").fill("");
  await page.getByRole("button", { name: "عرض" }).click();
  await expect(page).toHaveURL(/gender=female/);
  await expect(page.locator("#funnel-table tbody tr")).toHaveCount(7);
  await expectAccessibleWithoutJs(page);
  await context.close();
});

test("labour demand agrees with the plans' positions, and the Fund maps a job title", async ({ page }, testInfo) => {
  const chamber = one("SELECT id FROM chambers WHERE code = 'north_gaza'");
  const approved = `FROM plan_positions pp JOIN plans p ON p.id = pp.plan_id WHERE p.deleted_at IS NULL AND p.owner_chamber_id = ? AND p.status IN ${LATER}`;
  const positions = one(`SELECT COALESCE(SUM(pp.count), 0) ${approved}`, chamber);
  expect(positions).toBeGreaterThan(0);
  // The spelling with the fewest positions, to be counted under a canonical title.
  const [[folded, planned]] = rows(
    `SELECT pp.folded_title, SUM(pp.count) ${approved} GROUP BY pp.folded_title ORDER BY SUM(pp.count), pp.folded_title LIMIT 1 OFFSET ?`,
    chamber,
    // The phone and desktop runs share the server: each maps its own spelling.
    testInfo.project.name === "phone" ? 0 : 1,
  );

  await signInAsFund(page);
  await page.goto("/fund");
  await hydrated(page);
  await page.getByLabel("الغرفة").selectOption(String(chamber));
  await page.getByRole("button", { name: "عرض" }).click();
  await expect(page).toHaveURL(/chamber=/);
  // The link to the labour table carries the filter once the page has taken it in.
  const labour = page.getByRole("link", { name: /الطلب على العمالة/ });
  await expect(labour).toHaveAttribute("href", /chamber=/);
  await labour.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("الطلب على العمالة");
  await hydrated(page);
  const summary = page.locator('[data-figure="labour-summary"]');
  await expect.poll(async () => western(await summary.innerText())).toContain(`${positions} وظيفة`);
  const table = page.locator("#labour-table tbody tr");
  const shown = (await table.locator("td:nth-of-type(4)").allInnerTexts()).map((t) => Number(western(t)));
  expect(shown.reduce((a, b) => a + b, 0)).toBe(positions);
  await expectAccessible(page);

  // Mapping a spelling to a new canonical title: its positions move to a row of that name.
  const canonical = `مسمى تجريبي ${testInfo.project.name}`;
  const variant = page.locator("li.title-variant").filter({ has: page.locator(`input[name=folded][value="${folded}"]`) });
  await variant.getByRole("textbox").fill("ب");
  await variant.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await variant.getByRole("textbox").fill(canonical);
  await variant.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByText("حُفظ المسمى، والجدول يعدّه الآن.")).toBeVisible();
  const row = page.locator("#labour-table tbody tr").filter({ has: page.getByRole("rowheader", { name: canonical }) });
  await expect(row.first()).toBeVisible();
  const mapped = (await row.locator("td:nth-of-type(4)").allInnerTexts()).map((t) => Number(western(t)));
  expect(mapped.reduce((a, b) => a + b, 0)).toBe(Number(planned));

  // The download holds the same positions; the workbook reads right to left.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('a[href^="/fund/export/labour.xlsx"]').click(),
  ]);
  const book = await readWorkbook((await download.path()) ?? "");
  expect(book.rightToLeft).toBe(true);
  expect(book.rows[0][0]).toBe("المسمى الوظيفي");
  expect(book.rows.slice(1).reduce((sum, r) => sum + Number(r[6]), 0)).toBe(positions);
  expect(book.rows.some((r) => r[0] === canonical)).toBe(true);

  // Cleared again, so every run starts from the same titles.
  await variant.getByRole("textbox").fill("");
  await variant.getByRole("button", { name: "حفظ" }).click();
  await expect(page.locator("#labour-table").getByRole("rowheader", { name: canonical })).toHaveCount(0);
});
