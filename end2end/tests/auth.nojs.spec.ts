import { expect, test } from "@playwright/test";
import {
  expectAccessibleWithoutJs as expectAccessible, expectArabic, fillRegistration, importViaApi, registerViaApi, signOut, uniquePhone, FUND_EMAIL, FUND_PASSWORD, PASSWORD,
} from "./helpers";

// JavaScript is off in these projects: every step is a plain HTML form post.

test("without JavaScript: register with errors, then succeed, sign out and sign in", async ({ page }) => {
  const phone = uniquePhone();
  await page.goto("/register");
  await expectArabic(page);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page.getByRole("alert").first()).toHaveText("يرجى تصحيح الحقول المشار إليها. لم يُحفظ شيء بعد.");
  await expect(page.locator("#phone-error")).toHaveText("هذا الحقل مطلوب.");
  await expectAccessible(page);

  await fillRegistration(page, "سارة أحمد", "12345");
  await page.getByLabel("البريد الإلكتروني (اختياري)").fill(`${phone}@example.ps`);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page.locator("#phone-error")).toContainText("رقم الجوال غير صحيح");
  // Nothing typed is lost across the round trip (except the password, never kept).
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("سارة أحمد");
  await expect(page.getByLabel("رقم الجوال")).toHaveValue("12345");
  await expect(page.getByLabel("البريد الإلكتروني (اختياري)")).toHaveValue(`${phone}@example.ps`);
  await expect(page.getByLabel("أنثى")).toBeChecked();
  await expect(page.getByLabel("تاريخ الميلاد")).toHaveValue("1995-05-01");
  await expect(page.getByLabel("المحافظة")).toHaveValue("gaza");
  await expect(page.getByLabel("كلمة المرور")).toHaveValue("");

  await page.getByLabel("رقم الجوال").fill(phone);
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا سارة أحمد");

  await signOut(page);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "تسجيل الدخول" })).toBeVisible();

  await page.goto("/sign-in");
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
  await page.getByLabel("كلمة المرور").fill("wrong-password");
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page.getByRole("alert")).toHaveText("رقم الجوال أو البريد الإلكتروني أو كلمة المرور غير صحيحة.");
  await expect(page.getByLabel("رقم الجوال أو البريد الإلكتروني")).toHaveValue(phone);
  await expectAccessible(page);
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا سارة أحمد");
});

test("without JavaScript: the language switch works", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await page.getByRole("button", { name: "التبديل إلى العربية" }).click();
  await expectArabic(page);
});

test("without JavaScript: start a plan, with the name kept after an error", async ({ page }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  await page.goto("/plans");
  await page.getByLabel("اسم الخطة").fill("ab");
  await page.getByLabel("العملة").selectOption("USD");
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await expect(page.locator("#plan_title-error")).toHaveText("يجب ألا يقل عن 3 أحرف.");
  await expect(page.getByLabel("اسم الخطة")).toHaveValue("ab");
  await expect(page.getByLabel("العملة")).toHaveValue("USD");
  await expectAccessible(page);
  await page.getByLabel("اسم الخطة").fill("ورشة نجارة");
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await expect(page.locator(".plan-title")).toHaveText(["ورشة نجارة"]);
  await expect(page.locator(".plan-item")).toContainText("دولار أمريكي");
});

test("without JavaScript: write and save a plan section", async ({ page }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  await page.goto("/plans");
  await page.getByLabel("اسم الخطة").fill("ورشة نجارة");
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await page.getByRole("link", { name: "ورشة نجارة" }).click();
  await page.getByRole("link", { name: "تعبئة — دراسة السوق" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("دراسة السوق");
  const market = "زبائننا البيوت الجديدة في رفح، ونحو 300 أسرة تجدد مطابخها كل سنة، ومنافسنا مستورد.";
  await page.getByLabel("النص").fill(market);
  await page.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByLabel("النص")).toHaveValue(market);
  await expectAccessible(page);
  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  await expect(page.locator(".section-item").filter({ hasText: "دراسة السوق" })).toContainText("✓ مكتمل");
  await expect(page.locator(".progress-line")).toHaveText("اكتمال الأقسام: 8٪");
});

test("without JavaScript: the financials of an imported plan are readable", async ({ page }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  const id = await importViaApi(page);
  await page.goto(`/plans/${id}/financials`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("الخطة المالية");
  await expect(page.getByRole("img", { name: "الإيرادات مقابل مجموع التكاليف شهريًا" })).toBeVisible();
  await expect(page.locator(".indicator").filter({ hasText: "فجوة التمويل" })).toContainText("٠ شيكل");
  await expect(page.getByRole("region", { name: "الأرباح والخسائر شهريًا (السنة الأولى)" })).toContainText("صافي الربح");
  await expectAccessible(page);
  // Tables need JavaScript: the page says so instead of failing silently.
  await page.goto(`/plans/${id}/startup`);
  await expect(page.getByText("تحرير الجداول يحتاج إلى تفعيل JavaScript")).toBeVisible();
});

test("without JavaScript: the Fund restores a draft its owner deleted", async ({ page, browser }) => {
  await registerViaApi(page, "سلمى يوسف", uniquePhone());
  await page.goto("/plans");
  await page.getByLabel("اسم الخطة").fill("مطبخ منزلي للحلويات");
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await page.locator(".plan-item").filter({ hasText: "مطبخ منزلي للحلويات" }).getByRole("button", { name: "حذف المسودة" }).click();
  await expect(page.locator(".plan-item")).toHaveCount(0);

  const fund = await browser.newContext({ javaScriptEnabled: false, viewport: page.viewportSize() ?? undefined });
  const staff = await fund.newPage();
  await staff.goto("/sign-in");
  await staff.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(FUND_EMAIL);
  await staff.getByLabel("كلمة المرور").fill(FUND_PASSWORD);
  await staff.getByRole("button", { name: "دخول" }).click();
  await staff.getByRole("link", { name: "المسودات المحذوفة" }).click();
  const item = staff.locator(".plan-item").filter({ hasText: "مطبخ منزلي للحلويات" });
  await expect(item).toContainText("سلمى يوسف");
  await expectAccessible(staff);
  await item.getByRole("button", { name: "استعادة — مطبخ منزلي للحلويات" }).click();
  await expect(staff.locator(".plan-item").filter({ hasText: "مطبخ منزلي للحلويات" })).toHaveCount(0);
  await fund.close();

  await page.goto("/plans");
  await expect(page.locator(".plan-title")).toHaveText(["مطبخ منزلي للحلويات"]);
});
