import { expect, test } from "@playwright/test";
import { expectAccessibleWithoutJs, registerViaApi, smsTo, uniquePhone } from "./helpers";

test("without JavaScript: a password is reset with a code sent by SMS", async ({ page }) => {
  const phone = uniquePhone();
  await registerViaApi(page, "رنا عيسى", phone);
  await page.context().clearCookies();
  await page.goto("/forgot-password");
  await page.locator("#reset-phone").fill(phone);
  await page.getByRole("button", { name: "أرسل الرمز" }).click();
  await expect(page).toHaveURL(new RegExp(`/reset-password\\?phone=${phone}$`));
  await expect(page.locator("#code-sent")).toContainText("أرسلنا إليه رمزًا");
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(phone);
  await expectAccessibleWithoutJs(page);
  const sms = await smsTo(phone, /رمز استعادة كلمة المرور/);
  const code = /(\d{6})/.exec(sms.text)?.[1] ?? "";
  expect(code).not.toBe("");
  // A wrong code comes back as an Arabic error with the number kept.
  await page.getByLabel("رمز التحقق").fill("12");
  await page.getByLabel("كلمة المرور الجديدة").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "حفظ كلمة المرور الجديدة" }).click();
  await expect(page.locator("#code-error")).toContainText("الرمز غير صحيح");
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(phone);
  await page.getByLabel("رمز التحقق").fill(code);
  await page.getByLabel("كلمة المرور الجديدة").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "حفظ كلمة المرور الجديدة" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=1$/);
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(phone);
  await page.getByLabel("كلمة المرور").fill("new-secret-phrase-9");
  await page.getByRole("button", { name: "دخول" }).click();
  await expect(page).toHaveURL(/\/home$/);
});
