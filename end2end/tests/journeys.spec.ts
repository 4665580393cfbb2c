import { expect, test } from "@playwright/test";
import {
  expectAccessible, expectArabic, expectEnglish, fillRegistration, hydrated, signOut, uniquePhone,
  FUND_EMAIL, FUND_PASSWORD, PASSWORD,
} from "./helpers";

test("landing page reads in Arabic, switches to English and back", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await expectArabic(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ابدأ مشروعك بخطوات واضحة");
  await expect(page.getByText("تسجيل العلامات التجارية")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Switch to English" }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Start your business with clear steps");
  await expectAccessible(page);

  await page.getByRole("button", { name: "التبديل إلى العربية" }).click();
  await expectArabic(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ابدأ مشروعك بخطوات واضحة");
});

test("an entrepreneur registers, signs out, signs in and edits the profile", async ({ page }) => {
  const phone = uniquePhone();
  await page.goto("/register");
  await hydrated(page);
  await expectAccessible(page);

  // Empty form: Arabic errors next to the fields, nothing stored.
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page.getByRole("alert").first()).toHaveText("يرجى تصحيح الحقول المشار إليها. لم يُحفظ شيء بعد.");
  // The focus is on that sentence, so a phone shows it and a screen reader starts there.
  await expect(page.locator(".form-error")).toBeFocused();
  await expect(page.locator("#full_name-error")).toHaveText("هذا الحقل مطلوب.");
  await expect(page.getByLabel("الاسم الكامل")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  // Malformed phone and short password: specific messages; what was typed stays.
  await fillRegistration(page, "سارة أحمد", "0521234567", "short");
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page.locator("#phone-error")).toContainText("رقم الجوال غير صحيح");
  await expect(page.locator("#password-error")).toHaveText("يجب ألا يقل عن 8 أحرف.");
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("سارة أحمد");

  // Fixed, with Arabic-Indic digits: the account is created and signed in.
  const arabicDigits = phone.replace(/[0-9]/g, (d) => "٠١٢٣٤٥٦٧٨٩"[Number(d)]);
  await page.getByLabel("رقم الجوال").fill(arabicDigits);
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا سارة أحمد");
  await expect(page.locator(".chamber-name")).toHaveText("غرفة تجارة وصناعة غزة");
  await expectAccessible(page);

  // The same phone cannot register twice.
  await signOut(page);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "تسجيل الدخول" })).toBeVisible();
  await page.goto("/register");
  await hydrated(page);
  await fillRegistration(page, "ليلى خالد", phone);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page.locator("#phone-error")).toHaveText("هذه القيمة مسجلة لحساب آخر.");

  // Sign in: wrong password first, then right.
  await page.goto("/sign-in");
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
  await page.getByLabel("كلمة المرور").fill("wrong-password");
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page.getByRole("alert")).toHaveText("رقم الجوال أو البريد الإلكتروني أو كلمة المرور غير صحيحة.");
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page).toHaveURL(/\/home$/);

  // Edit the profile.
  await page.getByRole("link", { name: "تعديل البيانات" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel("الاسم الكامل").fill("");
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page.locator("#full_name-error")).toHaveText("هذا الحقل مطلوب.");
  await page.getByLabel("الاسم الكامل").fill("سارة أحمد يوسف");
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page.getByRole("status")).toHaveText("تم حفظ التغييرات.");
  await page.goto("/home");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا سارة أحمد يوسف");
});

test("the Fund creates a Gaza advisor, who sees the staff home and is refused Fund functions", async ({ page }) => {
  const advisorEmail = `advisor-${Date.now()}-${Math.floor(Math.random() * 1e6)}@gaza-chamber.ps`;
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(FUND_EMAIL);
  await page.getByLabel("كلمة المرور").fill(FUND_PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("لوحة الموظفين");
  await page.getByRole("link", { name: "إدارة المستخدمين" }).click();
  await expect(page).toHaveURL(/\/staff\/users$/);
  await hydrated(page);
  await expectAccessible(page);

  await page.getByLabel("الاسم الكامل").fill("مستشارة غزة");
  await page.getByLabel("البريد الإلكتروني", { exact: true }).fill(advisorEmail);
  await page.getByLabel("الدور").selectOption("advisor");
  await page.getByLabel("الغرفة التجارية").first().selectOption("gaza");
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "إضافة" }).click();
  await expect(page.getByRole("status")).toHaveText("تمت إضافة الحساب.");
  await expect(page.getByRole("row", { name: /مستشارة غزة/ }).first()).toContainText("غرفة تجارة وصناعة غزة");

  await signOut(page);
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(advisorEmail);
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("لوحة الموظفين");
  await expect(page.locator(".role-name")).toHaveText("مستشار/ة");
  await expectAccessible(page);

  // Calling a Fund-admin server function from the advisor's browser session: 403.
  const status = await page.evaluate(async () => {
    const r = await fetch("/api/admin/users/list", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: "",
    });
    return r.status;
  });
  expect(status).toBe(403);
  await page.goto("/staff/users");
  await expect(page.getByRole("alert")).toHaveText("ليست لديك صلاحية للقيام بهذا.");
});

test("unknown pages answer 404 in the reader's language", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("الصفحة غير موجودة");
  await expectAccessible(page);
});

test("every page is accessible in English too", async ({ page }) => {
  await page.goto("/lang/en?next=/register");
  await hydrated(page);
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create an entrepreneur account");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#phone-error")).toHaveText("This field is required.");
  await expectAccessible(page);

  await page.goto("/sign-in");
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel("Mobile number or e-mail").fill(FUND_EMAIL);
  await page.getByLabel("Password").fill(FUND_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staff dashboard");
  await expect(page.locator(".role-name")).toHaveText("Fund administration");
  await expectAccessible(page);

  for (const [path, heading] of [
    ["/profile", "Profile"],
    ["/staff/users", "Add a staff member"],
    ["/no-such-page", "Page not found"],
  ]) {
    await page.goto(path);
    await hydrated(page);
    await expectEnglish(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expectAccessible(page);
  }
});
