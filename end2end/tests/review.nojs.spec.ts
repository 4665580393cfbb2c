import { Browser, Page, expect, test } from "@playwright/test";
import { PASSWORD, createStaff } from "./helpers";
import { submittedPlanOf, uniqueTitle } from "./queue-setup";

/** A browser context without JavaScript, signed in as the advisor, who has taken up plan `id`. */
async function advisorWithoutJs(browser: Browser, page: Page, email: string, id: number) {
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
  return advisor;
}

test("without JavaScript an advisor scores a plan, a mistake comes back with the form kept", async ({ page, browser }) => {
  const id = await submittedPlanOf(page.request, "منى حسن", "qalqilya", uniqueTitle("مشتل زراعي"));
  const email = await createStaff(browser, "advisor", "qalqilya");
  const advisor = await advisorWithoutJs(browser, page, email, id);
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

test("without JavaScript an advisor pins comments and the entrepreneur answers hers", async ({ page, browser }) => {
  const id = await submittedPlanOf(page.request, "هالة ناصر", "qalqilya", uniqueTitle("مطبخ إنتاجي"));
  const email = await createStaff(browser, "advisor", "qalqilya");
  const advisor = await advisorWithoutJs(browser, page, email, id);
  const sheet = await advisor.newPage();
  await sheet.goto(`/plans/${id}/review`);
  // An empty comment comes back with the message, the place and the audience kept.
  await sheet.getByLabel("على أي جزء من الخطة؟").selectOption({ label: "فريق العمل والتشغيل" });
  await sheet.getByLabel("داخلية (لفريق الغرفة والصندوق فقط)").check();
  await sheet.getByRole("button", { name: "إضافة الملاحظة" }).click();
  await expect(sheet.locator("#comment-body-error")).toHaveText("هذا الحقل مطلوب.");
  await expect(sheet.getByLabel("على أي جزء من الخطة؟")).toHaveValue("team");
  await expect(sheet.getByLabel("داخلية (لفريق الغرفة والصندوق فقط)")).toBeChecked();
  await sheet.getByLabel("الملاحظة", { exact: true }).fill("راجع الأجور مع النقابة");
  await sheet.getByRole("button", { name: "إضافة الملاحظة" }).click();
  await expect(sheet.locator(".comment-body")).toHaveText(["راجع الأجور مع النقابة"]);
  await sheet.getByLabel("على أي جزء من الخطة؟").selectOption({ label: "دراسة السوق" });
  await sheet.getByLabel("الملاحظة", { exact: true }).fill("من هم زبائنك في قلقيلية؟");
  await sheet.getByRole("button", { name: "إضافة الملاحظة" }).click();
  await expect(sheet.locator(".comment-body")).toHaveCount(2);
  // A reply and a resolution are plain forms too.
  const internal = sheet.locator(".comment").filter({ hasText: "راجع الأجور" });
  await internal.getByLabel("ردّ على الملاحظة").fill("تم التواصل مع النقابة");
  await internal.getByRole("button", { name: "إرسال الرد" }).click();
  await expect(sheet.locator(".comment-replies")).toContainText("تم التواصل مع النقابة");
  await sheet.locator(".comment").filter({ hasText: "راجع الأجور" }).getByRole("button", { name: "تعليمها محلولة" }).click();
  await expect(sheet.locator(".comment").filter({ hasText: "راجع الأجور" })).toHaveClass(/comment-resolved/);
  await sheet.locator("#decision-message-request_changes").fill("نرجو توضيح الزبائن");
  await sheet.getByRole("button", { name: "طلب تعديلات" }).click();
  await expect(sheet.locator(".review-sheet .badge").first()).toHaveText("مطلوب تعديلات");
  await advisor.close();

  // The entrepreneur, without JavaScript either, answers on her section.
  const owner = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const section = await owner.newPage();
  await section.goto(`/plans/${id}/market`);
  const comments = section.locator(".section-comments");
  await expect(comments).toContainText("من هم زبائنك في قلقيلية؟");
  await expect(section.locator("body")).not.toContainText("راجع الأجور");
  await comments.getByLabel("ما الذي غيّرته؟ (اختياري)").fill("أضفت وصف الزبائن");
  await comments.getByRole("button", { name: "تمت الإجابة عن الملاحظة" }).click();
  await expect(section.locator(".section-comments")).toContainText("أُجيب عنها في");
  await owner.close();
});
