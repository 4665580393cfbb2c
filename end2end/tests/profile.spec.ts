import { expect, test } from "@playwright/test";
import { PASSWORD, dbRows, expectAccessible, hydrated, registerViaApi, uniquePhone } from "./helpers";

const CONTACT_PASSWORD = "كلمة المرور الحالية (لتغيير الجوال أو البريد)";

test("a new mobile number needs the current password; without it nothing changes and the typing stays", async ({ page }) => {
  const phone = uniquePhone();
  const newPhone = uniquePhone();
  await registerViaApi(page, "هبة سالم", phone);
  await page.goto("/profile");
  await hydrated(page);
  await page.getByLabel("رقم الجوال").fill(newPhone);
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page.locator("#contact_password-error")).toHaveText(
    "لتغيير رقم الجوال أو البريد الإلكتروني أدخل كلمة المرور الحالية.",
  );
  await expect(page.getByLabel("رقم الجوال")).toHaveValue(newPhone);
  // The form's error sentence takes the focus (the page scrolls up to it on a phone).
  await expect(page.locator(".form-error")).toBeFocused();
  await expect(page.locator(".form-error")).toBeInViewport();
  await expectAccessible(page);
  await page.getByLabel(CONTACT_PASSWORD).fill("not-her-password");
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page.locator("#contact_password-error")).toHaveText("كلمة المرور الحالية غير صحيحة.");
  expect(dbRows("SELECT COUNT(*) FROM users WHERE phone = ?", phone)).toEqual([[1]]);

  await page.getByLabel(CONTACT_PASSWORD).fill(PASSWORD);
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page.getByRole("status")).toHaveText("تم حفظ التغييرات.");
  expect(dbRows("SELECT COUNT(*) FROM users WHERE phone = ?", newPhone)).toEqual([[1]]);
});
