import { expect, test } from "@playwright/test";
import { codeSentTo, expectAccessibleWithoutJs, registerViaApi, uniquePhone } from "./helpers";

test("without JavaScript: a number is confirmed and a password reset with codes sent by SMS", async ({ page }) => {
  const phone = uniquePhone();
  await registerViaApi(page, "رنا عيسى", phone);
  await page.goto("/home");
  await page.locator("#confirm-phone").getByRole("link").click();
  await expect(page).toHaveURL(/\/verify-phone$/);
  await expectAccessibleWithoutJs(page);
  await page.getByLabel("رمز التحقق").fill("12");
  await page.getByRole("button", { name: "تأكيد الرقم" }).click();
  await expect(page.locator("#code-error")).toContainText("الرمز غير صحيح");
  await page.getByLabel("رمز التحقق").fill(await codeSentTo(phone, /تأكيد رقم جوالك/));
  await page.getByRole("button", { name: "تأكيد الرقم" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.locator("#confirm-phone")).toHaveCount(0);

  await page.context().clearCookies();
  await page.goto("/forgot-password");
  await page.locator("#reset-phone").fill(phone);
  await page.getByRole("button", { name: "أرسل الرمز" }).click();
  await expect(page).toHaveURL(new RegExp(`/reset-password\\?phone=${phone}$`));
  await expect(page.locator("#code-sent")).toContainText("أرسلنا إليه رمزًا");
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(phone);
  await expectAccessibleWithoutJs(page);
  const code = await codeSentTo(phone, /رمز استعادة كلمة المرور/);
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
