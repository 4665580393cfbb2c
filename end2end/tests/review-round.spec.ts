import { Page, expect, test } from "@playwright/test";
import { createStaff, expectAccessible, expectEnglish, hydrated, signedIn, expectRefusalKeeps, FUND_EMAIL, FUND_PASSWORD } from "./helpers";
import { submittedPlanOf, uniqueTitle } from "./queue-setup";

const ON_MARKET = "أضيفي أسعار المنافسين الثلاثة في السوق";
const ON_DRESS = "سعر الفستان أقل من تكلفته مع الأجور";
const INTERNAL = "تحقق من سجل القرض السابق قبل القرار";

async function comment(page: Page, where: string, audience: "لصاحب/ة الخطة" | "داخلية (لفريق الغرفة والصندوق فقط)", text: string) {
  await page.getByLabel("على أي جزء من الخطة؟").selectOption({ label: where });
  await page.getByLabel(audience).check();
  await page.getByLabel("الملاحظة", { exact: true }).fill(text);
  await page.getByRole("button", { name: "إضافة الملاحظة" }).click();
  await expect(page.locator(".comment-list .comment-body").filter({ hasText: text })).toBeVisible();
}

async function scoreAll(page: Page, score: string) {
  for (let i = 0; i < 7; i++) await page.locator(`#score-${i}`).selectOption(score);
  await page.getByLabel("الموافقة", { exact: true }).check();
  await page.getByRole("button", { name: "حفظ تقييمي" }).click();
  await expect(page.getByRole("status").filter({ hasText: "حُفظ تقييمك." })).toBeVisible();
}

test("a full review round: assign, comment, score, request changes, answer, resubmit, diff, decide, audit", async ({ page, browser }, info) => {
  test.slow();
  const title = uniqueTitle("مشغل خياطة");
  const id = await submittedPlanOf(page.request, "منى سالم", "nablus", title);
  const tag = `${info.project.name}-${Date.now() % 100000}`;
  const advisorName = `ريم المستشارة ${tag}`;
  const advisorEmail = await createStaff(browser, "advisor", "nablus", advisorName);
  const secondEmail = await createStaff(browser, "advisor", "nablus", `سامر المستشار ${tag}`);
  const managerEmail = await createStaff(browser, "chamber-manager", "nablus", `مدير نابلس ${tag}`);

  // The manager finds the plan in the queue and gives it to an advisor.
  const manager = await signedIn(browser, managerEmail);
  const queue = await manager.newPage();
  await queue.goto("/staff/plans");
  await hydrated(queue);
  await queue.getByLabel("عنوان الخطة أو اسم صاحبها").fill(title);
  await queue.getByRole("button", { name: "عرض" }).click();
  await expect(queue.locator(".plan-item")).toHaveCount(1);
  await expect(queue.locator(".plan-item")).toContainText("لم تُقيّم بعد");
  await queue.getByRole("link", { name: title }).click();
  await hydrated(queue);
  await queue.getByLabel("المستشار", { exact: true }).selectOption({ label: advisorName });
  await queue.getByRole("button", { name: "إسناد إلى مستشار" }).click();
  await expect(queue.locator(".case-status")).toContainText("قيد المراجعة في الغرفة");

  // The advisor pins two comments for the entrepreneur (a section, a product row) and an
  // internal one; an empty comment is refused in Arabic with the choices kept.
  const advisor = await signedIn(browser, advisorEmail);
  const sheet = await advisor.newPage();
  await sheet.goto(`/plans/${id}/review`);
  await hydrated(sheet);
  // The revision under review is on the same screen: figures, sections, documents.
  await expect(sheet.locator(".key-figures")).toContainText("مجموع تكاليف التأسيس");
  await expect(sheet.locator(".submitted-section summary").first()).toHaveText("الملخص التنفيذي");
  await expect(sheet.locator("#documents")).toBeVisible();
  await sheet.getByLabel("على أي جزء من الخطة؟").selectOption({ label: "دراسة السوق" });
  await sheet.getByRole("button", { name: "إضافة الملاحظة" }).click();
  await expect(sheet.locator("#comment-body-error")).toHaveText("هذا الحقل مطلوب.");
  await expect(sheet.getByLabel("على أي جزء من الخطة؟")).toHaveValue("market");
  await comment(sheet, "دراسة السوق", "لصاحب/ة الخطة", ON_MARKET);
  await comment(sheet, "توقعات المبيعات – المنتجات والكميات الشهرية (السنة الأولى): فستان", "لصاحب/ة الخطة", ON_DRESS);
  await comment(sheet, "الخطة المالية", "داخلية (لفريق الغرفة والصندوق فقط)", INTERNAL);
  await expect(sheet.locator(".review-comments > .hint")).toHaveText("٣ مفتوحة من ٣");
  await scoreAll(sheet, "4");
  await expectAccessible(sheet);
  // "Request changes" proposes the message from the open comments to the entrepreneur.
  const message = sheet.locator("#decision-message-request_changes");
  await expect(message).toHaveValue(/نرجو تعديل الخطة كما يلي:/);
  await expect(message).toHaveValue(new RegExp(`دراسة السوق:\\n- ${ON_MARKET}`));
  await expect(message).toHaveValue(new RegExp(`فستان: ${ON_DRESS}`));
  expect(await message.inputValue()).not.toContain(INTERNAL);
  // A message too short is refused, and what was typed stays in the box to correct.
  const proposed = await message.inputValue();
  const send = sheet.getByRole("button", { name: "طلب تعديلات" });
  await expectRefusalKeeps(message, "لا", send, sheet.locator("#decision-message-error"), "يجب ألا يقل عن 3 أحرف.");
  await message.fill(proposed + "\nشكراً لك.");
  await send.click();
  await expect(sheet.getByRole("status").filter({ hasText: "سُجّل القرار." })).toBeVisible();
  await expect(sheet.locator(".review-sheet .badge").first()).toHaveText("مطلوب تعديلات");

  // The entrepreneur reads the comments on her sections (never the internal one), answers
  // them, edits the section and the product's price, and sends the plan again.
  await page.goto(`/plans/${id}`);
  await hydrated(page);
  const summary = page.locator(".plan-comments");
  await expect(summary.locator("li")).toHaveCount(2);
  await expect(summary).not.toContainText(INTERNAL);
  await expectAccessible(page);
  await summary.getByRole("link", { name: "دراسة السوق" }).click();
  await expect(page).toHaveURL(new RegExp(`/plans/${id}/market#comment-\\d+$`));
  await hydrated(page);
  const onMarket = page.locator(".section-comments");
  await expect(onMarket.getByRole("heading", { level: 2 })).toHaveText("ملاحظات الغرفة على هذا القسم");
  await expect(onMarket).toContainText(ON_MARKET);
  await expect(page.locator("body")).not.toContainText(INTERNAL);
  await expectAccessible(page);
  const text = page.getByLabel("النص");
  await text.fill((await text.inputValue()) + " أسعار المنافسين بين ٩٠ و١٥٠ شيكلاً.");
  await expect(page.locator(".save-status").first()).toContainText("حُفظ الساعة");
  await onMarket.getByLabel("ما الذي غيّرته؟ (اختياري)").fill("أضفت أسعار المنافسين");
  await onMarket.getByRole("button", { name: "تمت الإجابة عن الملاحظة" }).click();
  await expect(onMarket.getByRole("status")).toContainText("سُجّلت إجابتك");
  await expect(onMarket).toContainText("أُجيب عنها في");
  await page.goto(`/plans/${id}/sales`);
  await hydrated(page);
  await expect(page.locator(".section-comments")).toContainText(ON_DRESS);
  await expect(page.locator(".section-comments")).toContainText("فستان");
  await page.getByLabel("سعر البيع — صف 1").fill("١٣٠");
  await expect(page.locator(".save-status").first()).toContainText("حُفظ الساعة");
  await page.locator(".section-comments").getByRole("button", { name: "تمت الإجابة عن الملاحظة" }).click();
  await expect(page.locator(".section-comments")).toContainText("أُجيب عنها في");
  await page.goto(`/plans/${id}`);
  await hydrated(page);
  await page.getByRole("button", { name: "تقديم الخطة إلى الغرفة" }).click();
  // Straight back to the advisor who asked.
  await expect(page.locator(".case-status")).toHaveText("قيد المراجعة في الغرفة");
  await expect(page.locator("body")).not.toContainText(INTERNAL);

  // The advisor sees both answered, carried to revision 2, and exactly the changes made.
  await sheet.goto(`/plans/${id}/review`);
  await hydrated(sheet);
  const market = sheet.locator(".comment").filter({ hasText: ON_MARKET });
  await expect(market).toContainText("أُجيب عنها في");
  await expect(market).toContainText("أضفت أسعار المنافسين");
  await expect(market).toContainText("على النسخة ١");
  await expect(sheet.locator(".comment").filter({ hasText: ON_DRESS })).toContainText("أُجيب عنها في");
  await sheet.getByRole("link", { name: "ما تغيّر بين النسخ" }).click();
  await expect(sheet.getByRole("heading", { level: 1 })).toContainText("من النسخة ١ إلى النسخة ٢");
  await hydrated(sheet);
  await expect(sheet.locator(".diff-section")).toHaveCount(1);
  await expect(sheet.locator(".diff-section h3")).toHaveText("دراسة السوق");
  await expect(sheet.locator(".diff-section ins")).toContainText("أسعار المنافسين بين ٩٠ و١٥٠ شيكلاً.");
  await expect(sheet.locator(".diff-table")).toHaveCount(1);
  await expect(sheet.locator(".diff-table .row-changed")).toContainText("فستان");
  await expect(sheet.locator(".diff-table .row-changed del")).toContainText("١٢٠");
  await expect(sheet.locator(".diff-table .row-changed ins")).toContainText("١٣٠");
  const revenue = sheet.locator(".diff-figures tr").filter({ hasText: "إيرادات السنة الأولى" });
  await expect(revenue.locator("td").nth(2)).toContainText("+");
  await expect(sheet.locator(".diff-figures tr").filter({ hasText: "صافي ربح السنة الأولى" })).toHaveClass("figure-changed");
  await expect(sheet.locator(".diff-figures tr").filter({ hasText: "مجموع تكاليف التأسيس" })).not.toHaveClass("figure-changed");
  await expectAccessible(sheet);
  // Resolve both and score the new revision.
  await sheet.goto(`/plans/${id}/review`);
  await hydrated(sheet);
  for (const text of [ON_MARKET, ON_DRESS]) {
    await sheet.locator(".comment").filter({ hasText: text }).getByRole("button", { name: "تعليمها محلولة" }).click();
    await expect(sheet.locator(".comment").filter({ hasText: text })).toHaveClass(/comment-resolved/);
  }
  await expect(sheet.locator(".review-comments > .hint")).toHaveText("١ مفتوحة من ٣");
  await scoreAll(sheet, "5");
  await advisor.close();

  // A second advisor abstains.
  const second = await signedIn(browser, secondEmail);
  const other = await second.newPage();
  await other.goto(`/plans/${id}/review`);
  await hydrated(other);
  await other.getByLabel("أمتنع عن التقييم (تضارب مصالح)").check();
  await other.getByLabel("سبب الامتناع (عند الامتناع فقط)").fill("صاحبة المشروع جارتي");
  await other.getByRole("button", { name: "حفظ تقييمي" }).click();
  await expect(other.locator(".verdict")).toContainText("امتنع عن التقييم (تضارب مصالح)");
  await second.close();

  // The manager decides on the scores shown above the decision.
  await queue.goto(`/plans/${id}/review`);
  await hydrated(queue);
  await expect(queue.locator(".review-summary")).toContainText("متوسط التقييم: ١٠٠٫٠ من ١٠٠");
  await expect(queue.locator(".review-summary")).toContainText("امتناع ١");
  await expect(queue.locator(".review-panel > li")).toHaveCount(2);
  await expect(queue.locator(".decisions")).toContainText("القرار على النسخة ٢ وعلى التقييمات أعلاه.");
  await expectAccessible(queue);
  await queue.getByRole("button", { name: "الموافقة على الخطة", exact: true }).click();
  await expect(queue.locator(".review-sheet .badge").first()).toHaveText("تمت الموافقة");
  await queue.goto(`/staff/plans?q=${encodeURIComponent(title)}`);
  await expect(queue.locator(".plan-item .queue-score")).toHaveText("التقييم: ١٠٠٫٠ من ١٠٠");
  await expect(queue.locator(".plan-item .queue-comments")).toHaveText("ملاحظات مفتوحة: ١");
  await manager.close();

  // The Fund finds every step in the audit log, in Arabic and in English.
  const fund = await browser.newContext();
  const login = await fund.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: FUND_EMAIL, password: FUND_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const log = await fund.newPage();
  await log.goto("/fund/audit");
  await hydrated(log);
  await log.getByLabel("نوع السجل").selectOption("plan");
  await log.getByLabel("رقم السجل").fill(String(id));
  await log.getByRole("button", { name: "بحث" }).click();
  const rows = log.locator(".audit-table tbody tr");
  await expect(rows.first()).toContainText("الموافقة على الخطة");
  for (const step of [
    "تقديم الخطة",
    "إسناد الخطة لمستشار/ة",
    "إضافة ملاحظة",
    "تقييم الخطة",
    "طلب تعديلات",
    "الإجابة عن ملاحظة",
    "حلّ ملاحظة",
    "امتناع عن التقييم",
  ]) {
    await expect(log.locator(".audit-table")).toContainText(step);
  }
  await expect(log.locator(".audit-table")).toContainText(advisorName);
  await expectAccessible(log);
  await log.getByRole("button", { name: "Switch to English" }).click();
  await expectEnglish(log);
  await expect(log.locator(".audit-table")).toContainText("Comment answered");
  await expect(log.locator(".audit-table")).toContainText("Plan approved");
  await expectAccessible(log);
  await fund.close();
});
