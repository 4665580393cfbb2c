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

test("an entrepreneur writes a section; a save from a stale tab is refused with both versions kept", async ({ page, context }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  await page.goto("/plans");
  await hydrated(page);
  await page.getByLabel("اسم الخطة").fill("ورشة نجارة");
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await page.getByRole("link", { name: "ورشة نجارة" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ورشة نجارة");
  await expect(page.locator(".progress-line")).toHaveText("اكتمال الأقسام المكتوبة: 0٪");
  await hydrated(page);
  await expectAccessible(page);

  await page.getByRole("link", { name: "كتابة — فكرة المشروع" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("فكرة المشروع");
  await hydrated(page);
  await expectAccessible(page);
  const idea = "ورشة نجارة تصنع أثاث المطابخ حسب الطلب للبيوت في رفح بأسعار أقل من المستورد.";
  await page.getByLabel("النص").fill(idea);
  await page.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByRole("status")).toHaveText("تم الحفظ.");

  // A second tab, opened before the next save, is now stale.
  const stale = await context.newPage();
  await stale.goto(page.url());
  await hydrated(stale);
  await page.getByLabel("النص").fill(idea + " نبدأ بعاملين.");
  await page.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByRole("status")).toHaveText("تم الحفظ.");
  await stale.getByLabel("النص").fill("نص كتبته على الجهاز الآخر");
  await stale.getByRole("button", { name: "حفظ" }).click();
  await expect(stale.getByRole("alert")).toContainText("تغيّرت هذه الخطة على جهاز آخر");
  await expect(stale.locator(".saved-version")).toContainText("نبدأ بعاملين.");
  await expect(stale.getByLabel("النص")).toHaveValue("نص كتبته على الجهاز الآخر");
  // Saving again keeps the text of this tab.
  await stale.getByRole("button", { name: "حفظ" }).click();
  await expect(stale.getByRole("status")).toHaveText("تم الحفظ.");

  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  await expect(page.locator(".progress-line")).toHaveText("اكتمال الأقسام المكتوبة: 0٪");
  await page.reload();
  const ideaRow = page.locator(".section-item").filter({ hasText: "فكرة المشروع" });
  await expect(ideaRow).toContainText("غير مكتمل");
});
