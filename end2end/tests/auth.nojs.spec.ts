import { expect, test } from "@playwright/test";
import { expectAccessibleWithoutJs as expectAccessible, expectArabic, fillRegistration, uniquePhone, PASSWORD } from "./helpers";

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
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page.locator("#phone-error")).toContainText("رقم الجوال غير صحيح");

  await fillRegistration(page, "سارة أحمد", phone);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا سارة أحمد");

  await page.getByRole("button", { name: "تسجيل الخروج" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "تسجيل الدخول" })).toBeVisible();

  await page.goto("/sign-in");
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
  await page.getByLabel("كلمة المرور").fill("wrong-password");
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page.getByRole("alert")).toHaveText("رقم الجوال أو البريد الإلكتروني أو كلمة المرور غير صحيحة.");
  await expectAccessible(page);
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا سارة أحمد");
});

test("without JavaScript: the language switch works", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Switch to English" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await page.getByRole("link", { name: "التبديل إلى العربية" }).click();
  await expectArabic(page);
});
