import { expect, test } from "@playwright/test";
import { PASSWORD, createStaff } from "./helpers";
import { submittedPlanOf, uniqueTitle } from "./queue-setup";

test("without JavaScript an advisor scores a plan, a mistake comes back with the form kept", async ({ page, browser }) => {
  const id = await submittedPlanOf(page.request, "منى حسن", "qalqilya", uniqueTitle("مشتل زراعي"));
  const email = await createStaff(browser, "advisor", "qalqilya");
  const advisor = await browser.newContext({ javaScriptEnabled: false, viewport: page.viewportSize() ?? undefined });
  const login = await advisor.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: email, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const pickUp = await advisor.request.post("/api/case/transition", {
    headers: { accept: "application/json" },
    form: { plan_id: String(id), action: "pick_up", message: "" },
  });
  expect(pickUp.status()).toBe(200);
  const sheet = await advisor.newPage();
  await sheet.goto(`/plans/${id}/review`);
  for (let i = 0; i < 7; i++) await sheet.locator(`#score-${i}`).selectOption("5");
  await sheet.locator("#comment-0").fill("فكرة قوية");
  // No recommendation chosen: the page comes back with the message and the scores kept.
  await sheet.getByRole("button", { name: "حفظ تقييمي" }).click();
  await expect(sheet.locator("#recommendation-error")).toHaveText("هذا الحقل مطلوب.");
  await expect(sheet.locator("#score-3")).toHaveValue("5");
  await expect(sheet.locator("#comment-0")).toHaveValue("فكرة قوية");
  await sheet.getByLabel("الموافقة", { exact: true }).check();
  await sheet.getByRole("button", { name: "حفظ تقييمي" }).click();
  await expect(sheet.locator(".verdict")).toContainText("١٠٠٫٠ من ١٠٠، يوصي بـالموافقة");
  await advisor.close();
});
