import { test, expect } from "@playwright/test";
import { createStaff, establishmentFor, expectAccessibleWithoutJs, signInAs as signIn } from "./helpers";

test("without JavaScript: a visit dated tomorrow is refused in Arabic with what was typed kept, then saved", async ({
  page,
  browser,
}, testInfo) => {
  const [id, name] = establishmentFor(testInfo.project.name);
  await signIn(page, await createStaff(browser, "chamber-manager", "north_gaza"));
  await page.goto(`/staff/establishments/${id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const form = page.locator("#visit-form");
  await form.getByLabel("تاريخ الزيارة").fill(tomorrow);
  await form.getByLabel("وظائف مشغولة بنساء").fill("4");
  await form.getByLabel("نعم", { exact: true }).check();
  await form.getByLabel("ملاحظة (اختيارية)").fill("توسع في خط الإنتاج");
  await form.getByRole("button", { name: "حفظ الزيارة" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/establishments/${id}`));
  await expect(page.locator("#visit_day-error")).toHaveText("لا يمكن أن يكون التاريخ بعد اليوم.");
  await expect(form.getByLabel("وظائف مشغولة بنساء")).toHaveValue("4");
  await expect(form.getByLabel("ملاحظة (اختيارية)")).toHaveValue("توسع في خط الإنتاج");
  await expect(form.getByLabel("نعم", { exact: true })).toBeChecked();
  await expectAccessibleWithoutJs(page);

  const today = new Date().toISOString().slice(0, 10);
  await form.getByLabel("تاريخ الزيارة").fill(today);
  await form.getByRole("button", { name: "حفظ الزيارة" }).click();
  await expect(page.locator("#visits-table tbody tr").first()).toContainText("توسع في خط الإنتاج");
  await expect(page.locator('[data-figure="standing"]')).toHaveText("تعمل");
  await expect(page.locator('[data-figure="filled"]')).toContainText("٤");
});
