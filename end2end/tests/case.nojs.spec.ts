import { expect, test } from "@playwright/test";
import { dbRows, expectAccessibleWithoutJs, importViaApi, registerViaApi, uniquePhone } from "./helpers";

test("without JavaScript: an entrepreneur submits a complete plan and sees it received", async ({ page }) => {
  await registerViaApi(page, "رامي سعيد", uniquePhone());
  const id = await importViaApi(page);
  await page.goto(`/plans/${id}`);
  await expect(page.locator(".case-status")).toHaveText("مسودة");
  await page.getByRole("button", { name: "تقديم الخطة إلى الغرفة" }).click();
  await expect(page).toHaveURL(new RegExp(`/plans/${id}`));
  await expect(page.locator(".case-status")).toHaveText("تم الاستلام – بانتظار المراجعة");
  await expect(page.locator(".timeline-item")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "سحب الخطة" })).toBeVisible();
  await expectAccessibleWithoutJs(page);
});

test("without JavaScript: moving a submitted case to another chamber is refused with what was typed kept", async ({ page }) => {
  const phone = uniquePhone();
  await registerViaApi(page, "سامي عودة", phone);
  const id = await importViaApi(page);
  await page.goto(`/plans/${id}`);
  await page.getByRole("button", { name: "تقديم الخطة إلى الغرفة" }).click();
  await expect(page.locator(".case-status")).toHaveText("تم الاستلام – بانتظار المراجعة");
  await page.goto("/profile");
  await page.getByLabel("الاسم الكامل").fill("سامي عودة محمود");
  await page.getByLabel("الغرفة التجارية").selectOption("gaza");
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.locator("#chamber-error")).toHaveText(
    "ملفك لدى غرفتك الحالية (خطة قُدّمت أو طلب خدمة مفتوح)، فلا يُنقل إلى غرفة أخرى من هنا. اطلب النقل من مدير غرفتك أو من الصندوق.",
  );
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("سامي عودة محمود");
  await expect(page.getByLabel("الغرفة التجارية")).toHaveValue("gaza");
  expect(dbRows("SELECT full_name FROM users WHERE phone = ?", phone)).toEqual([["سامي عودة"]]);
  await expectAccessibleWithoutJs(page);
});
