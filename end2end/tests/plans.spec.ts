import { expect, test } from "@playwright/test";
import { expectAccessible, hydrated, registerViaApi, uniquePhone } from "./helpers";

test("an entrepreneur starts, renames and deletes plans", async ({ page }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  await page.goto("/home");
  await page.getByRole("link", { name: "خطط العمل" }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 2, name: "لا توجد خطط بعد. ابدأ خطتك الأولى أعلاه." })).toBeVisible();
  await expectAccessible(page);

  // An empty name is refused in Arabic; nothing is created.
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await expect(page.locator("#plan_title-error")).toHaveText("هذا الحقل مطلوب.");

  await page.getByLabel("اسم الخطة").fill("مخبز العائلة");
  await page.getByLabel("العملة").selectOption("JOD");
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await expect(page.getByRole("status")).toHaveText("بدأت خطة جديدة.");
  const item = page.locator(".plan-item").filter({ hasText: "مخبز العائلة" });
  await expect(item).toContainText("مسودة");
  await expect(item).toContainText("دينار أردني");
  await expect(page.getByRole("heading", { level: 2, name: "خطة واحدة" })).toBeVisible();
  await expectAccessible(page);

  await item.getByLabel("اسم الخطة").fill("مخبز الحي");
  await item.getByRole("button", { name: "إعادة التسمية" }).click();
  await expect(page.locator(".plan-title")).toHaveText(["مخبز الحي"]);

  await page.locator(".plan-item").first().getByRole("button", { name: "حذف المسودة" }).click();
  await expect(page.getByRole("status")).toContainText("حُذفت المسودة");
  await expect(page.locator(".plan-item")).toHaveCount(0);
});
