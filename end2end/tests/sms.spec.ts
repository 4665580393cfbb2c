import { expect, test } from "@playwright/test";
import {
  codeSentTo,
  expectAccessible,
  expectEnglish,
  fillRegistration,
  FUND_EMAIL,
  FUND_PASSWORD,
  hydrated,
  PASSWORD,
  signInAs,
  uniquePhone,
} from "./helpers";

test("a phone-only entrepreneur registers, confirms her number and resets her password by SMS", async ({ page }) => {
  const phone = uniquePhone();
  await page.goto("/register");
  await hydrated(page);
  await fillRegistration(page, "منى خليل", phone);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page).toHaveURL(/\/home$/);
  // Her home asks her to confirm the number the code was texted to.
  const notice = page.locator("#confirm-phone");
  await expect(notice).toContainText("رقم جوالك غير مؤكد بعد");
  await notice.getByRole("link", { name: "أكّد رقم الجوال" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("تأكيد رقم الجوال");
  await expect(page.locator("main")).toContainText(phone);
  await expect(page.getByLabel("رمز التحقق")).toHaveAttribute("inputmode", "numeric");
  await expect(page.getByLabel("رمز التحقق")).toHaveAttribute("autocomplete", "one-time-code");
  await expectAccessible(page);
  const confirmation = await codeSentTo(phone, /تأكيد رقم جوالك/);
  await page.getByLabel("رمز التحقق").fill("12");
  await page.getByRole("button", { name: "تأكيد الرقم" }).click();
  await expect(page.locator("#code-error")).toContainText("الرمز غير صحيح");
  await page.getByLabel("رمز التحقق").fill(confirmation);
  await page.getByRole("button", { name: "تأكيد الرقم" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مرحبًا منى خليل");
  await expect(page.locator("#confirm-phone")).toHaveCount(0);

  // Signed out, she has forgotten her password.
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByRole("link", { name: "نسيت كلمة المرور؟" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("نسيت كلمة المرور");
  // The phone comes first; a number that cannot be hers is an Arabic error on the field.
  const phoneField = page.locator("#reset-phone");
  await phoneField.fill("12345");
  await page.getByRole("button", { name: "أرسل الرمز" }).click();
  await expect(page.locator("#reset-phone-error")).toContainText("رقم الجوال");
  await expect(phoneField).toHaveValue("12345");
  await phoneField.fill(phone);
  await page.getByRole("button", { name: "أرسل الرمز" }).click();
  await expect(page).toHaveURL(new RegExp(`/reset-password\\?phone=${phone}$`));
  await expect(page.locator("#code-sent")).toContainText("صالحًا لمدة ١٠ دقائق");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("إدخال الرمز واختيار كلمة مرور جديدة");
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(phone);
  await expectAccessible(page);

  const code = await codeSentTo(phone, /رمز استعادة كلمة المرور/);
  // A wrong code: an Arabic error on the code field, the number kept.
  const wrong = code === "000000" ? "111111" : "000000";
  await page.getByLabel("رمز التحقق").fill(wrong);
  await page.getByLabel("كلمة المرور الجديدة").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "حفظ كلمة المرور الجديدة" }).click();
  await expect(page.locator("#code-error")).toContainText("الرمز غير صحيح");
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(phone);
  await page.getByLabel("رمز التحقق").fill(code);
  await page.getByLabel("كلمة المرور الجديدة").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "حفظ كلمة المرور الجديدة" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=1$/);
  await expect(page.locator(".notice")).toContainText("تم تغيير كلمة المرور");
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
  await page.getByLabel("كلمة المرور").fill(PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await page.getByLabel("كلمة المرور").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page).toHaveURL(/\/home$/);
});

test("the reset pages and their errors read in English too", async ({ page }) => {
  await page.goto("/forgot-password");
  await hydrated(page);
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 2 }).first()).toHaveText("By text message to your mobile");
  await expect(page.getByRole("button", { name: "Send the link" })).toBeVisible();
  await expectAccessible(page);
  // The code's form and its errors are English too.
  await page.locator("#reset-phone").fill("0599 abc");
  await page.getByRole("button", { name: "Send the code" }).click();
  await expect(page.locator("#reset-phone-error")).toContainText("mobile number");
  await page.locator("#reset-phone").fill(uniquePhone());
  await page.getByRole("button", { name: "Send the code" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter the code and choose a new password");
  await expect(page.locator("#code-sent")).toContainText("works for 10 minutes");
  await page.getByLabel("Verification code").fill("123456");
  await page.getByLabel("New password").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.locator("#code-error")).toContainText("This code is wrong or no longer valid");
  await expectAccessible(page);
});

test("the Fund sees this month's text messages per chamber with their cost", async ({ browser, page }) => {
  // A Gaza entrepreneur registers now and is texted her code, so this month's table has a
  // Gaza row whatever ran before and whenever the month turned.
  const phone = uniquePhone();
  const visitor = await browser.newContext();
  try {
    const registering = await visitor.newPage();
    await registering.goto("/register");
    await fillRegistration(registering, "هالة عيسى", phone);
    await registering.getByRole("button", { name: "إنشاء الحساب" }).click();
    await expect(registering).toHaveURL(/\/home$/);
    await codeSentTo(phone, /تأكيد رقم جوالك/);
  } finally {
    await visitor.close();
  }
  await signInAs(page, FUND_EMAIL, FUND_PASSWORD);
  await page.goto("/fund");
  await hydrated(page);
  await page.getByRole("link", { name: "الرسائل النصية وتكلفتها" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("الرسائل النصية");
  // The server's settings: fifty messages a number a day, twelve agorot a segment.
  await expect(page.locator("#sms-caps")).toContainText("٥٠ رسائل لكل رقم");
  await expect(page.locator("#sms-caps")).toContainText(/٠.١٢/);
  // Her chamber has a row, and the total counts it.
  const gaza = page.locator("#sms-table tbody tr", { hasText: "غرفة تجارة وصناعة غزة" });
  await expect(gaza).toHaveCount(1);
  await expect(page.locator("#sms-table tfoot tr")).toContainText("المجموع");
  await expectAccessible(page);
});
