import { expect, test } from "@playwright/test";
import {
  createStaff,
  expectAccessibleWithoutJs,
  FUND_EMAIL,
  FUND_PASSWORD,
  mailTo,
  registerViaApi,
  registerWithEmail,
  signedIn,
  uniquePhone,
} from "./helpers";

test("without JavaScript: a service is requested, a reason-less step refused in Arabic, then moved", async ({
  page,
  browser,
}) => {
  await registerViaApi(page, "سامي عودة", uniquePhone());
  await page.goto("/services");
  const legal = page.locator("#service-legal_advice");
  await legal.locator("summary").click();
  await legal.getByLabel("ملاحظة للغرفة (اختياري)").fill("عقد شراكة مع أخي");
  await legal.getByRole("button", { name: "اطلب هذه الخدمة" }).click();
  await expect(page).toHaveURL(/\/services\/requests\/\d+$/);
  await expect(page.locator(".request-status")).toContainText("تم استلام الطلب");
  await expect(page.locator(".request")).toContainText("عقد شراكة مع أخي");
  await expectAccessibleWithoutJs(page);
  const requestUrl = page.url();

  const advisor = await signedIn(browser, await createStaff(browser, "advisor", "rafah"));
  const staffPage = await advisor.newPage();
  await staffPage.goto(requestUrl);
  const cancel = staffPage.locator("form.case-action").filter({ has: staffPage.getByRole("button", { name: "إلغاء الطلب" }) });
  await cancel.getByRole("button", { name: "إلغاء الطلب" }).click();
  await expect(staffPage.locator(".form-error")).toContainText("يرجى تصحيح الحقول");
  await expect(staffPage.locator(".request-status")).toContainText("تم استلام الطلب");
  const start = staffPage.locator("form.case-action").filter({ has: staffPage.getByRole("button", { name: "بدء التنفيذ" }) });
  await start.locator("textarea").fill("موعدك الأحد القادم");
  await start.getByRole("button", { name: "بدء التنفيذ" }).click();
  await expect(staffPage.locator(".request-status")).toContainText("قيد التنفيذ");
  await expect(staffPage.locator("ol.steps > li.current")).toContainText("طلب الخدمة ومراجعته");
  await advisor.close();

  await page.goto("/case");
  await expect(page.locator(".case-timeline")).toContainText("موعدك الأحد القادم");
  await expectAccessibleWithoutJs(page);
});

test("without JavaScript: the Fund sets a fee and a holiday", async ({ page, browser }) => {
  await page.goto("/sign-in");
  await page.getByLabel("رقم الجوال أو البريد الإلكتروني").fill(FUND_EMAIL);
  await page.getByLabel("كلمة المرور").fill(FUND_PASSWORD);
  await page.getByRole("button", { name: "دخول" }).click();
  await page.goto("/staff/catalogue");
  const editor = page.locator("#edit-consultancy");
  await editor.locator("summary").click();
  await editor.getByLabel("الرسوم بالشيكل (فارغ = غير معروفة)").first().fill("٢٥");
  await editor.getByRole("button", { name: "حفظ الخدمة" }).click();
  await expect(page.locator("#edit-consultancy input[name='input[steps][0][fee]']")).toHaveValue("25");
  await page.getByLabel("التاريخ").fill("2027-01-07");
  await page.getByLabel("اسم العطلة بالعربية").fill("عيد الميلاد المجيد");
  await page.getByRole("button", { name: "إضافة عطلة" }).click();
  await expect(page.locator("ul.holidays")).toContainText("عيد الميلاد المجيد");
  await expectAccessibleWithoutJs(page);

  const entrepreneur = await browser.newContext({ javaScriptEnabled: false });
  const other = await entrepreneur.newPage();
  await registerViaApi(other, "نادر حمد", uniquePhone());
  await other.goto("/services");
  const consultancy = other.locator("#service-consultancy");
  await consultancy.locator("summary").click();
  await expect(consultancy.locator("ol.steps > li").first()).toContainText("الرسوم: ٢٥ شيكل");
  await entrepreneur.close();
});

test("without JavaScript: a reset link is asked for and arrives", async ({ page }) => {
  const email = `nour-${Date.now()}@example.ps`;
  await registerWithEmail(page, "نور عادل", uniquePhone(), email);
  await page.context().clearCookies();
  await page.goto("/forgot-password");
  await page.getByLabel("البريد الإلكتروني").fill(email);
  await page.getByRole("button", { name: "أرسل الرابط" }).click();
  await expect(page).toHaveURL(/\/forgot-password\?sent=1$/);
  await expect(page.locator("#reset-sent")).toContainText("أرسلنا إليه رابطًا");
  await expectAccessibleWithoutJs(page);
  await mailTo(email, /reset-password\?token=/);
});
