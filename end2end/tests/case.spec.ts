import { expect, test } from "@playwright/test";
import {
  confirmPhoneViaApi,
  createStaff,
  dbRows,
  expectAccessible,
  expectRefusalKeeps,
  hydrated,
  importViaApi,
  onPhone,
  openFromMenu,
  registerViaApi,
  signedIn,
  smsTo,
  uniquePhone,
} from "./helpers";

test("a plan is submitted, assigned, sent back with a message and resubmitted as revision 2", async ({ page, browser }) => {
  const phone = uniquePhone();
  await registerViaApi(page, "هبة يوسف", phone);
  await confirmPhoneViaApi(page, phone);
  const id = await importViaApi(page);
  await page.goto(`/plans/${id}`);
  await hydrated(page);
  const status = page.locator(".case-status");
  await expect(status).toHaveText("مسودة");
  await page.getByRole("button", { name: "تقديم الخطة إلى الغرفة" }).click();
  await expect(status).toHaveText("تم الاستلام – بانتظار المراجعة");
  await expect(page.getByRole("button", { name: "تقديم الخطة إلى الغرفة" })).toHaveCount(0);
  await expect(page.locator(".timeline-item")).toHaveCount(1);
  await expect(page.locator(".timeline-item").first()).toContainText("النسخة ١");

  // The Rafah chamber's manager assigns it to an advisor.
  const advisorEmail = await createStaff(browser, "advisor", "rafah");
  const manager = await signedIn(browser, await createStaff(browser, "chamber-manager", "rafah"));
  const managerPage = await manager.newPage();
  await managerPage.goto("/home");
  await hydrated(managerPage);
  await openFromMenu(managerPage, "خطط الغرفة");
  await expect(managerPage.getByRole("heading", { level: 1 })).toHaveText("خطط الغرفة");
  // The chamber's queue holds other tests' plans too: the newest submission first.
  await managerPage.getByLabel("الترتيب").selectOption({ label: "الأحدث تقديماً أولاً" });
  await managerPage.getByRole("button", { name: "عرض", exact: true }).click();
  await expect(managerPage).toHaveURL(/sort=submitted/);
  // Clicked once the sorted list is shown (newest first): a click on the list still being
  // replaced can land on another plan.
  await expect(managerPage.locator(".plan-item").first()).toHaveAttribute("data-plan", String(id));
  await managerPage.locator(`.plan-item[data-plan="${id}"]`).getByRole("link").click();
  await expect(managerPage).toHaveURL(new RegExp(`/plans/${id}#case$`));
  await hydrated(managerPage);
  await expect(managerPage.locator(".case-status")).toContainText("submitted");
  await managerPage.getByLabel("المستشار", { exact: true }).selectOption({ label: "مستشار rafah" });
  await managerPage.getByRole("button", { name: "إسناد إلى مستشار" }).click();
  await expect(managerPage.locator(".case-status")).toContainText("قيد المراجعة في الغرفة");
  await expect(managerPage.locator(".case")).toContainText("المستشار المسؤول: مستشار rafah");
  await expectAccessible(managerPage);
  await manager.close();

  // The advisor asks for changes; a request without a message is refused in Arabic.
  const advisor = await signedIn(browser, advisorEmail);
  const advisorPage = await advisor.newPage();
  await advisorPage.goto(`/plans/${id}`);
  await hydrated(advisorPage);
  await advisorPage.getByRole("button", { name: "طلب تعديلات" }).click();
  await expect(advisorPage.locator("#case-message-error")).toHaveText("هذا الحقل مطلوب.");
  // A message too short is refused too, and what she typed stays in the box to correct.
  const request = advisorPage.getByLabel("رسالة إلى صاحب الخطة: ما المطلوب ولماذا");
  const send = advisorPage.getByRole("button", { name: "طلب تعديلات" });
  await expectRefusalKeeps(request, "لا", send, advisorPage.locator("#case-message-error"), "يجب ألا يقل عن 3 أحرف.");
  await expect(advisorPage.locator(".case-status")).toContainText("قيد المراجعة في الغرفة");
  await request.fill("يرجى توضيح أسعار المنافسين في قسم السوق");
  await send.click();
  await expect(advisorPage.locator(".case-status")).toContainText("مطلوب تعديلات");
  await advisor.close();
  // She registered without an e-mail address and confirmed her number: the news reaches
  // her phone as well, in one short Arabic message with the link to her plan's case.
  const sms = await smsTo(phone, /طُلبت تعديلات على خطتك/);
  expect(sms.text).toMatch(new RegExp(`^طُلبت تعديلات على خطتك http://127\\.0\\.0\\.1:\\d+/plans/${id}#case$`));

  // The entrepreneur is notified, reads the message, and resubmits.
  await page.goto("/home");
  await hydrated(page);
  await expect(page.locator(".next-steps li").first()).toHaveText(/^أجب عن ملاحظات الغرفة على خطة «.+» ثم أعد تقديمها\.$/);
  await expect(page.locator(".journey")).toContainText("المرحلة ٣ من ٧: مطلوب تعديلات");
  // The unread count is on the notifications entry; on a phone, on «more» too, which opens it.
  const bell = page.getByRole("link", { name: /الإشعارات/ });
  if (await onPhone(page)) {
    const more = page.locator(".tab-bar").getByRole("link", { name: /المزيد/ });
    await expect(more).toContainText("١");
    await more.click();
  }
  await expect(bell).toContainText("١");
  await bell.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("الإشعارات");
  const notice = page.locator(".notification").first();
  await expect(notice).toContainText("طلبت الغرفة تعديلات على خطتك");
  await expect(notice).toContainText("يرجى توضيح أسعار المنافسين في قسم السوق");
  await expectAccessible(page);
  await notice.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/plans/${id}#case$`));
  await hydrated(page);
  await expect(status).toHaveText("مطلوب تعديلات");
  await expect(page.locator(".timeline-message")).toHaveText("يرجى توضيح أسعار المنافسين في قسم السوق");
  await expectAccessible(page);
  await page.getByRole("button", { name: "تقديم الخطة إلى الغرفة" }).click();
  // Straight back to the advisor who asked for the changes.
  await expect(status).toHaveText("قيد المراجعة في الغرفة");
  const steps = page.locator(".timeline-item");
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText("تقديم الخطة إلى الغرفة");
  await expect(steps.nth(1)).toContainText("إسناد إلى مستشار");
  await expect(steps.nth(2)).toContainText("طلب تعديلات");
  await expect(steps.nth(3)).toContainText("النسخة ٢");
});

test("a submitted case stays with its chamber: she is told why, and the chamber's manager moves it", async ({ page, browser }) => {
  const phone = uniquePhone();
  await registerViaApi(page, "منى خليل", phone);
  const id = await importViaApi(page);
  const submitted = await page.request.post("/api/case/transition", {
    headers: { accept: "application/json" },
    form: { plan_id: String(id), action: "submit", message: "" },
  });
  expect(submitted.status()).toBe(200);

  // Her plan is with Rafah's chamber: choosing Gaza on her profile is refused next to the
  // field, in Arabic, and what she typed stays.
  await page.goto("/profile");
  await hydrated(page);
  await page.getByLabel("الاسم الكامل").fill("منى خليل يوسف");
  await page.getByLabel("الغرفة التجارية").selectOption("gaza");
  await page.getByRole("button", { name: "حفظ التغييرات" }).click();
  await expect(page.locator("#chamber-error")).toHaveText(
    "ملفك لدى غرفتك الحالية (خطة قُدّمت أو طلب خدمة مفتوح)، فلا يُنقل إلى غرفة أخرى من هنا. اطلب النقل من مدير غرفتك أو من الصندوق.",
  );
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("منى خليل يوسف");
  await expect(page.getByLabel("الغرفة التجارية")).toHaveValue("gaza");
  await expectAccessible(page);
  const [[userId, chamber]] = dbRows(
    "SELECT u.id, c.code FROM users u JOIN chambers c ON c.id = u.chamber_id WHERE u.phone = ?",
    phone,
  );
  expect(chamber).toBe("rafah");

  // Rafah's manager hands the case over to Gaza from her case file.
  const manager = await signedIn(browser, await createStaff(browser, "chamber-manager", "rafah"));
  const managerPage = await manager.newPage();
  await managerPage.goto(`/staff/case/${userId}`);
  await hydrated(managerPage);
  await expect(managerPage.getByRole("heading", { level: 2, name: "نقل الملف إلى غرفة أخرى" })).toBeVisible();
  await managerPage.getByLabel("الغرفة التجارية").selectOption("gaza");
  await managerPage.getByRole("button", { name: "انقل الملف" }).click();
  await expect(managerPage.getByRole("status")).toHaveText("نُقل الملف إلى الغرفة المختارة.");
  await expectAccessible(managerPage);
  await manager.close();
  expect(
    dbRows(
      "SELECT c.code FROM plans p JOIN chambers c ON c.id = p.owner_chamber_id WHERE p.id = ?",
      id,
    ),
  ).toEqual([["gaza"]]);
  await page.goto("/profile");
  await expect(page.getByLabel("الغرفة التجارية")).toHaveValue("gaza");
});
