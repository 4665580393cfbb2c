import { expect, test } from "@playwright/test";
import { expectAccessibleWithoutJs, importViaApi, registerViaApi, uniquePhone } from "./helpers";

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
