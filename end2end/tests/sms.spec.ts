import { expect, test } from "@playwright/test";
import { expectAccessible, expectEnglish, hydrated, registerViaApi, smsTo, uniquePhone } from "./helpers";

/** The six digits of a reset code message. */
function codeIn(text: string): string {
  const code = /(\d{6})/.exec(text)?.[1] ?? "";
  expect(code, text).not.toBe("");
  return code;
}

test("a phone-only entrepreneur resets her password with a code sent by SMS", async ({ page }) => {
  const phone = uniquePhone();
  await registerViaApi(page, "منى خليل", phone);
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
  await expect(page.getByLabel("رمز التحقق")).toHaveAttribute("inputmode", "numeric");
  await expect(page.getByLabel("رمز التحقق")).toHaveAttribute("autocomplete", "one-time-code");
  await expectAccessible(page);

  const sms = await smsTo(phone, /رمز استعادة كلمة المرور/);
  const code = codeIn(sms.text);
  // A wrong code: an Arabic error on the code field, the number and password kept.
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
  await page.getByLabel("كلمة المرور").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page).toHaveURL(/\/home$/);
});

test("the reset pages read in English too", async ({ page }) => {
  await page.goto("/forgot-password");
  await hydrated(page);
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 2 }).first()).toHaveText("By text message to your mobile");
  await expect(page.getByRole("button", { name: "Send the code" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send the link" })).toBeVisible();
  await expectAccessible(page);
});
