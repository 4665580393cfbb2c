import { expect, test } from "@playwright/test";
import { PASSWORD, createStaff, expectAccessibleWithoutJs } from "./helpers";
import { submittedPlanOf, uniqueTitle } from "./queue-setup";

test("without JavaScript the queue's filters are a form whose answer is a shareable URL", async ({ page, browser }) => {
  const title = uniqueTitle("ورشة تطريز");
  const id = await submittedPlanOf(page.request, "إيمان خليل", "jenin", title);
  const email = await createStaff(browser, "advisor", "jenin");
  const advisor = await browser.newContext({ javaScriptEnabled: false, viewport: page.viewportSize() ?? undefined });
  const login = await advisor.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: email, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const queue = await advisor.newPage();
  await queue.goto("/staff/plans");
  await expect(queue.getByRole("heading", { level: 1 })).toHaveText("خطط الغرفة");
  await queue.getByLabel("عنوان الخطة أو اسم صاحبها").fill(title.replace("ة", "ه"));
  await queue.locator("details.queue-more summary").click();
  await queue.getByLabel("عمر صاحب/ة الخطة").selectOption("25-29");
  await queue.getByRole("button", { name: "عرض", exact: true }).click();
  await expect(queue).toHaveURL(/age=25-29/);
  await expect(queue.locator(`.plan-item[data-plan="${id}"]`)).toContainText("إيمان خليل");
  await expect(queue.locator(".queue-total")).toHaveText("عدد الخطط: ١");
  await expectAccessibleWithoutJs(queue);

  // Another age group: nothing, said in words.
  await queue.getByLabel("عمر صاحب/ة الخطة").selectOption("40+");
  await queue.getByRole("button", { name: "عرض", exact: true }).click();
  await expect(queue.locator(".plan-item")).toHaveCount(0);
  await expect(queue.getByText("لا توجد خطة تطابق هذه التصفية.")).toBeVisible();
  await advisor.close();
});
