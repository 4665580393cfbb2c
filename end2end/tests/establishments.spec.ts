import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import {
  FUND_EMAIL,
  FUND_PASSWORD,
  createStaff,
  dbRows as rows,
  establishmentFor,
  expectAccessible,
  hydrated,
  signInAs as signIn,
} from "./helpers";

// The register of North Gaza comes from the demo data the server starts with
// (start-server.sh); each project keeps a different establishment of it.

function western(text: string): string {
  return text.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660)).trim();
}

test("an advisor finds an establishment, records a visit after an Arabic error, and types its numbers", async ({
  page,
  browser,
}, testInfo) => {
  const [id, name] = establishmentFor(testInfo.project.name);
  const inChamber = Number(
    rows("SELECT COUNT(*) FROM establishments e JOIN chambers c ON c.id = e.chamber_id WHERE c.code = 'north_gaza'")[0][0],
  );
  expect(inChamber).toBeGreaterThan(3);
  await signIn(page, await createStaff(browser, "advisor", "north_gaza"));

  await page.goto("/staff/establishments");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("سجل المنشآت");
  expect(western(await page.locator('[data-figure="register-total"]').innerText())).toBe(`${inChamber} منشأة`);
  await expectAccessible(page);
  // The register downloads whole, in Arabic.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "تنزيل المنشآت بصيغة CSV" }).click(),
  ]);
  const csv = readFileSync((await download.path()) ?? "", "utf8");
  expect(csv.startsWith("\ufeffاسم المنشأة,صاحب المشروع")).toBe(true);
  expect(csv.trim().split("\r\n")).toHaveLength(inChamber + 1);

  await page.getByLabel("بحث باسم المنشأة أو صاحبها").fill(name);
  await page.getByRole("button", { name: "عرض" }).click();
  await expect(page).toHaveURL(/q=/);
  // Demo projects may share a name: the row of this one.
  await page.locator(`#register-table a[href="/staff/establishments/${id}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/staff/establishments/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await hydrated(page);

  // Closed with jobs: refused next to the field, nothing lost.
  const form = page.locator("#visit-form");
  await form.getByLabel("وظائف مشغولة بنساء").fill("٢");
  await form.getByLabel("وظائف مشغولة برجال").fill("1");
  await form.getByLabel("لا", { exact: true }).check();
  await form.getByRole("button", { name: "حفظ الزيارة" }).click();
  await expect(form.locator(".form-error")).toContainText("يرجى تصحيح الحقول");
  await expect(form.locator("#visit_women-error")).toContainText("المنشأة مغلقة");
  await expect(form.getByLabel("وظائف مشغولة بنساء")).toHaveValue("٢");
  await form.getByLabel("نعم", { exact: true }).check();
  await form.getByRole("button", { name: "حفظ الزيارة" }).click();
  await expect(form.locator(".form-notice")).toHaveText("حُفظت الزيارة.");
  await expect(page.locator('[data-figure="standing"]')).toHaveText("تعمل");
  await expect(page.locator('[data-figure="filled"]')).toContainText("٣");
  expect(
    Number(rows("SELECT filled_women + filled_men FROM establishments WHERE id = ?", id)[0][0]),
  ).toBe(3);

  // A refusal changed nothing, so the page does not reload: on a phone a reload costs data,
  // and its redraw used to pull the focus back to the error while she was correcting.
  let reloads = 0;
  page.on("request", (request) => {
    if (request.url().includes("/api/establishments/one")) reloads += 1;
  });
  const details = page.locator("#details-form");
  await details.getByLabel("رقم العضوية في الغرفة").fill("٤٥٦٧٨");
  await details.getByLabel("الرقم الضريبي").fill("رقم");
  await details.getByRole("button", { name: "حفظ البيانات" }).click();
  await expect(details.locator("#details_tax_number-error")).toContainText("الرقم غير صحيح");
  await expect(details.locator(".form-error")).toBeFocused();
  const tax = details.getByLabel("الرقم الضريبي");
  await tax.fill("");
  await expect(tax).toBeFocused();
  expect(reloads).toBe(0);
  await expect(details.getByLabel("رقم العضوية في الغرفة")).toHaveValue("٤٥٦٧٨");
  await details.getByRole("button", { name: "حفظ البيانات" }).click();
  await expect(details.locator(".form-notice")).toHaveText("حُفظت البيانات.");
  await expect(page.locator(".details")).toContainText("45678");
  expect(reloads).toBe(1);
  await expectAccessible(page);
});

test("the dashboard counts the register's establishments and their jobs", async ({ page }) => {
  const [[registered, filled]] = rows(
    "SELECT COUNT(*), COALESCE(SUM(COALESCE(e.filled_women, 0) + COALESCE(e.filled_men, 0)), 0) " +
      "FROM establishments e JOIN chambers c ON c.id = e.chamber_id WHERE c.code = 'north_gaza'",
  );
  const chamber = Number(rows("SELECT id FROM chambers WHERE code = 'north_gaza'")[0][0]);
  await signIn(page, FUND_EMAIL, FUND_PASSWORD);
  await page.goto(`/fund?chamber=${chamber}`);
  await hydrated(page);
  expect(western(await page.locator('[data-kpi="establishments"]').innerText())).toBe(String(registered));
  expect(western(await page.locator('[data-kpi="filled"]').innerText())).toBe(String(filled));
  await expect(page.locator("#establishments-table tbody tr")).toHaveCount(1);
});
