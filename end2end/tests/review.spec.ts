import { expect, test } from "@playwright/test";
import { createStaff, expectAccessible, hydrated, signedIn, watchRequests } from "./helpers";
import { submittedPlanOf, uniqueTitle } from "./queue-setup";

test("two advisors give their verdicts on the rubric and the manager reads the panel", async ({ page, browser }) => {
  const id = await submittedPlanOf(page.request, "رنا عيسى", "salfit", uniqueTitle("معصرة زيتون"));
  const firstEmail = await createStaff(browser, "advisor", "salfit");
  const secondEmail = await createStaff(browser, "advisor", "salfit");
  const managerEmail = await createStaff(browser, "chamber-manager", "salfit");

  // The first advisor takes up the review and opens the sheet from the plan's page.
  const first = await signedIn(browser, firstEmail);
  const sheet = await first.newPage();
  const pickUp = await first.request.post("/api/case/transition", {
    headers: { accept: "application/json" },
    form: { plan_id: String(id), action: "pick_up", message: "" },
  });
  expect(pickUp.status()).toBe(200);
  await sheet.goto(`/plans/${id}`);
  await hydrated(sheet);
  await sheet.getByRole("link", { name: "المراجعة والتقييم" }).click();
  await expect(sheet.getByRole("heading", { level: 1 })).toContainText("مراجعة:");
  await hydrated(sheet);

  // One criterion left unscored: told, and nothing chosen is lost.
  const scores = ["4", "3", "5", "2", "4", "1", "0"];
  for (const [i, score] of scores.entries()) {
    if (i !== 6) await sheet.locator(`#score-${i}`).selectOption(score);
  }
  await sheet.locator("#comment-4").fill("التدفق النقدي واقعي");
  await sheet.getByLabel("الموافقة بتحفظ").check();
  const requests = watchRequests(sheet);
  await sheet.getByRole("button", { name: "حفظ تقييمي" }).click();
  await expect(sheet.locator("#score-error")).toHaveText("هذا الحقل مطلوب.");
  // Read after any reload the refusal could have started.
  await requests.quiet();
  requests.stop();
  await expect(sheet.locator("#score-0")).toHaveValue("4");
  await expect(sheet.locator("#comment-4")).toHaveValue("التدفق النقدي واقعي");
  await sheet.locator("#score-6").selectOption("0");
  await sheet.getByRole("button", { name: "حفظ تقييمي" }).click();
  await expect(sheet.getByRole("status").filter({ hasText: "حُفظ تقييمك." })).toBeVisible();
  // 4/5×20 + 3/5×15 + 5/5×10 + 2/5×10 + 4/5×25 + 1/5×15 + 0 = 62.
  await expect(sheet.locator(".verdict")).toContainText("٦٢٫٠ من ١٠٠، يوصي بـالموافقة بتحفظ");
  await expectAccessible(sheet);
  await first.close();

  // The second advisor has a conflict of interest and abstains, with a reason.
  const second = await signedIn(browser, secondEmail);
  const other = await second.newPage();
  await other.goto(`/plans/${id}/review`);
  await hydrated(other);
  await other.getByLabel("أمتنع عن التقييم (تضارب مصالح)").check();
  await other.getByLabel("سبب الامتناع (عند الامتناع فقط)").fill("صاحبة المشروع من أقاربي");
  await other.getByRole("button", { name: "حفظ تقييمي" }).click();
  await expect(other.locator(".verdict")).toContainText("امتنع عن التقييم (تضارب مصالح)");
  await second.close();

  // The manager sees both verdicts and the average of those who scored.
  const manager = await signedIn(browser, managerEmail);
  const panel = await manager.newPage();
  await panel.goto(`/plans/${id}/review`);
  await hydrated(panel);
  await expect(panel.locator(".review-summary")).toContainText("متوسط التقييم: ٦٢٫٠ من ١٠٠");
  await expect(panel.locator(".review-summary")).toContainText("امتناع ١");
  await expect(panel.locator(".review-panel > li")).toHaveCount(2);
  await expect(panel.locator(".review-panel")).toContainText("صاحبة المشروع من أقاربي");
  await panel.getByText("الدرجات حسب المعيار (نسخة المعايير ١)").click();
  await expect(panel.locator(".review-panel table").first()).toContainText("التدفق النقدي واقعي");
  await expectAccessible(panel);
  await manager.close();
});
