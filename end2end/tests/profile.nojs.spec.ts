import { expect, test } from "@playwright/test";
import { PASSWORD, dbRows, expectAccessibleWithoutJs, registerViaApi, uniquePhone } from "./helpers";

const CONTACT_PASSWORD = "كلمة المرور الحالية (لتغيير الجوال أو البريد)";

test("without JavaScript: a new mobile number needs the current password, and the password is never kept", async ({ page }) => {
  const phone = uniquePhone();
  const newPhone = uniquePhone();
  await registerViaApi(page, "هبة سالم", phone);
  await page.goto("/profile");
  await page.getByLabel("الاسم الكامل").fill("هبة سالم يوسف");
  await page.getByLabel("رقم الجوال").fill(newPhone);
  await page.getByLabel(CONTACT_PASSWORD).fill("not-her-password");
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.locator("#contact_password-error")).toHaveText("كلمة المرور الحالية غير صحيحة.");
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("هبة سالم يوسف");
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(newPhone);
  await expect(page.getByLabel(CONTACT_PASSWORD)).toHaveValue("");
  await expectAccessibleWithoutJs(page);
  expect(dbRows("SELECT full_name FROM users WHERE phone = ?", phone)).toEqual([["هبة سالم"]]);

  await page.getByLabel(CONTACT_PASSWORD).fill(PASSWORD);
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.locator("#contact_password-error")).toHaveCount(0);
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(newPhone);
  expect(dbRows("SELECT full_name FROM users WHERE phone = ?", newPhone)).toEqual([["هبة سالم يوسف"]]);
});
