import { expect, Page, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expectAccessible, hydrated, importViaApi, onPhone, registerViaApi, startPlan, uniquePhone } from "./helpers";

test("an entrepreneur starts, renames and deletes plans", async ({ page }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  await page.goto("/home");
  await page.getByRole("link", { name: "خطط العمل" }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 2, name: "لا توجد خطط بعد. ابدأ خطتك الأولى أعلاه." })).toBeVisible();
  await expectAccessible(page);

  // An empty name is refused in Arabic; nothing is created.
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await expect(page.locator("#plan_title-error")).toHaveText("هذا الحقل مطلوب.");

  await page.getByLabel("اسم الخطة").fill("مخبز العائلة");
  await page.getByLabel("العملة").selectOption("JOD");
  await page.getByRole("button", { name: "ابدأ الخطة" }).click();
  await expect(page.getByRole("status")).toHaveText("بدأت خطة جديدة.");
  const item = page.locator(".plan-item").filter({ hasText: "مخبز العائلة" });
  await expect(item).toContainText("مسودة");
  await expect(item).toContainText("دينار أردني");
  await expect(page.getByRole("heading", { level: 2, name: "خطة واحدة" })).toBeVisible();
  await expectAccessible(page);

  await item.getByLabel("اسم الخطة").fill("مخبز الحي");
  await item.getByRole("button", { name: "إعادة التسمية" }).click();
  await expect(page.locator(".plan-title")).toHaveText(["مخبز الحي"]);

  await page.locator(".plan-item").first().getByRole("button", { name: "حذف المسودة" }).click();
  await expect(page.getByRole("status")).toContainText("حُذفت المسودة");
  await expect(page.locator(".plan-item")).toHaveCount(0);
});

async function openSection(page: Page, name: string) {
  await page.getByRole("link", { name: `تعبئة — ${name}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await hydrated(page);
}

const saveStatus = (page: Page) => page.locator(".save-status").first();

test("autosave keeps every word through an outage, on the device and then on the server", async ({ page, context }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  await startPlan(page, "ورشة نجارة");
  await expect(page.locator(".progress-line")).toHaveText("اكتمال الأقسام: 0٪");
  await expectAccessible(page);
  await openSection(page, "فكرة المشروع");
  await expectAccessible(page);
  const idea = "ورشة نجارة تصنع أثاث المطابخ حسب الطلب للبيوت في رفح بأسعار أقل من المستورد.";
  await page.getByLabel("النص").fill(idea);
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");

  // The connection drops mid-sentence: the text stays on the device and says so.
  await context.setOffline(true);
  await page.getByLabel("النص").pressSequentially(" نبدأ بعاملين.");
  await expect(saveStatus(page)).toContainText("لا يوجد اتصال");
  // Even closing the tab loses nothing: the next page opened with a connection sends it.
  await page.close();
  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto("/plans");
  await expect(again.getByText("أُرسلت إلى الخادم تعديلاتك التي كانت محفوظة على هذا الجهاز")).toBeVisible();
  await again.getByRole("link", { name: "ورشة نجارة" }).click();
  await hydrated(again);
  await openSection(again, "فكرة المشروع");
  await expect(again.getByLabel("النص")).toHaveValue(idea + " نبدأ بعاملين.");
  await again.reload();
  await expect(again.getByLabel("النص")).toHaveValue(idea + " نبدأ بعاملين.");
  await again.getByRole("link", { name: "العودة إلى الخطة" }).click();
  await expect(again.locator(".section-item").filter({ hasText: "فكرة المشروع" })).toContainText("✓ مكتمل");
});

test("a save from a stale tab is refused with both versions kept for the person to choose", async ({ page, context }) => {
  await registerViaApi(page, "محمد علي", uniquePhone());
  await startPlan(page, "ورشة نجارة");
  await openSection(page, "فكرة المشروع");
  const stale = await context.newPage();
  await stale.goto(page.url());
  await hydrated(stale);
  await page.getByLabel("النص").fill("نص من الجهاز الأول يشرح فكرة الورشة وزبائنها.");
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");
  await stale.getByLabel("النص").fill("نص كتبته على الجهاز الآخر");
  await expect(saveStatus(stale)).toContainText("عُدّلت هذه الخطة من جهاز آخر");
  await expect(stale.locator(".saved-version")).toContainText("نص من الجهاز الأول");
  await expect(stale.getByLabel("النص")).toHaveValue("نص كتبته على الجهاز الآخر");
  await expectAccessible(stale);
  await stale.getByRole("button", { name: "احتفظ بنسختي" }).click();
  await expect(saveStatus(stale)).toContainText("حُفظ الساعة");
  await page.reload();
  await expect(page.getByLabel("النص")).toHaveValue("نص كتبته على الجهاز الآخر");
});

test("tables take Arabic-Indic digits, name bad cells, total as you type, and feed the financials", async ({ page }) => {
  await registerViaApi(page, "أم أحمد", uniquePhone());
  await startPlan(page, "مشغل خياطة");

  // The facts of the idea: chosen from lists, the start month in Arabic-Indic digits.
  await openSection(page, "فكرة المشروع");
  await page.getByLabel("الشكل القانوني").selectOption("sole_trader");
  await page.getByLabel("القطاع").selectOption("manufacturing_crafts");
  await page.getByLabel("تاريخ البدء (سنة-شهر، مثل 2027-03)").fill("آذار");
  await expect(page.locator(".cell-error")).toHaveText("اكتب الشهر بصيغة سنة-شهر، مثل 2027-03.");
  await page.getByLabel("تاريخ البدء (سنة-شهر، مثل 2027-03)").fill("٢٠٢٧-٠٣");
  await expect(page.locator(".save-status").nth(1)).toContainText("حُفظ الساعة");
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("القطاع")).toHaveValue("manufacturing_crafts");
  await expect(page.getByLabel("تاريخ البدء (سنة-شهر، مثل 2027-03)")).toHaveValue("2027-03");
  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();

  await openSection(page, "تكاليف التأسيس");
  // With JavaScript on, the note for readers without it is not shown.
  await expect(page.getByText("تحرير الجداول يحتاج إلى تفعيل JavaScript")).toBeHidden();
  await page.getByRole("button", { name: "إضافة صف" }).click();
  await page.getByLabel("الاسم — صف 1").fill("ماكينة خياطة");
  await page.getByLabel("الكمية — صف 1").fill("٢");
  await page.getByLabel("سعر الوحدة — صف 1").fill("abc");
  await expect(page.locator(".cell-error")).toHaveText("اكتب رقمًا، مثل 1500 أو ١٥٠٠.");
  await expect(saveStatus(page)).toHaveText("لم يُحفظ: صحّح الأخطاء المعلّمة.");
  await page.getByLabel("سعر الوحدة — صف 1").fill("١٬٨٠٠");
  await page.getByRole("button", { name: "إضافة صف" }).click();
  await page.getByLabel("الاسم — صف 2").fill("رسوم تسجيل");
  await page.getByLabel("النوع — صف 2").selectOption("fees");
  await page.getByLabel("سعر الوحدة — صف 2").fill("400");
  await expect(page.locator(".totals")).toContainText("٤٬٠٠٠ شيكل");
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");
  // Reorder: the fees move to the top.
  await page.getByRole("button", { name: "نقل الصف 2 إلى الأعلى" }).click();
  await expect(page.getByLabel("الاسم — صف 1")).toHaveValue("رسوم تسجيل");
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");
  await expectAccessible(page);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("الاسم — صف 1")).toHaveValue("رسوم تسجيل");
  await expect(page.getByLabel("سعر الوحدة — صف 2")).toHaveValue("1800");

  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  await openSection(page, "مصادر التمويل");
  await page.getByLabel("المساهمة الذاتية").fill("١٠٠٠");
  await expect(page.locator(".balance")).toHaveText("ينقص التمويل ٣٬٠٠٠ شيكل جديد (₪) عن تكاليف التأسيس.");
  await page.getByLabel("المنحة المطلوبة من الصندوق").fill("3000");
  await expect(page.locator(".balance")).toHaveText("مصادر التمويل تساوي تكاليف التأسيس.");
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");
  await expectAccessible(page);

  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  await openSection(page, "توقعات المبيعات");
  await page.getByRole("button", { name: "إضافة صف" }).click();
  await page.getByLabel("الاسم — صف 1").fill("فستان");
  await page.getByLabel("سعر البيع — صف 1").fill("١٢٠");
  await page.getByLabel("تكلفة الوحدة — صف 1").fill("55");
  for (let m = 1; m <= 12; m++) {
    await page.getByLabel(`شهر ${m} — صف 1`).fill(String(20 + m));
  }
  // The table fits the screen without sideways scrolling: on a phone each row is a card of
  // labelled fields, its twelve months three to a line.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  if (await onPhone(page)) {
    const top = async (m: number) => Math.round((await page.getByLabel(`شهر ${m} — صف 1`).boundingBox())?.y ?? -1);
    expect(await top(3)).toBe(await top(1));
    expect(await top(4)).toBeGreaterThan(await top(1));
    await expect(page.locator("table.grid label.cell-label", { hasText: "سعر البيع" })).toBeVisible();
  }
  // Straight on to the growth of the same page: both tables save, neither refuses the other.
  await page.getByLabel("نمو المبيعات في السنة الثانية ٪").fill("١٠");
  await expect(page.locator(".totals")).toContainText("إيرادات السنة الأولى");
  await expect(page.locator(".save-status").nth(0)).toContainText("حُفظ الساعة");
  await expect(page.locator(".save-status").nth(1)).toContainText("حُفظ الساعة");

  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  await openSection(page, "فريق العمل والتشغيل");
  await page.getByRole("button", { name: "إضافة صف" }).click();
  await page.getByLabel("المسمى الوظيفي — صف 1").fill("خياطة");
  await page.getByLabel("العدد — صف 1").fill("٢");
  await page.getByLabel("الراتب الشهري — صف 1").fill("1500");
  await page.getByLabel("نساء — صف 1").fill("3");
  await expect(page.locator(".cell-error")).toHaveText("مجموع النساء والرجال أكبر من عدد الوظائف.");
  await page.getByLabel("نساء — صف 1").fill("2");
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");

  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  const missing = page.locator(".missing-list");
  await expect(missing).toContainText("أكمل قسم «الملخص التنفيذي»");
  await expect(missing).not.toContainText("مصادر التمويل (");

  // The rest of the plan, so that nothing is missing any more.
  await openSection(page, "التكاليف التشغيلية");
  await page.getByRole("button", { name: "إضافة صف" }).click();
  await page.getByLabel("الاسم — صف 1").fill("إيجار");
  await page.getByLabel("المبلغ الشهري — صف 1").fill("٦٠٠");
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");
  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  await openSection(page, "المخاطر");
  await page.getByRole("button", { name: "إضافة صف" }).click();
  await page.getByLabel("الخطر — صف 1").fill("انقطاع الكهرباء");
  await page.getByLabel("طريقة المواجهة — صف 1").fill("مولد مشترك مع الجيران");
  await expect(saveStatus(page)).toContainText("حُفظ الساعة");
  await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  const texts: [string, string][] = [
    ["صاحب/ة المشروع", "خياطة منذ اثنتي عشرة سنة، عملت في مشغل كبير ثم في البيت، ولدي زبائن دائمون."],
    ["فكرة المشروع", "مشغل صغير لخياطة الفساتين النسائية بمقاسات كاملة وأسعار أقل من المستورد."],
    ["دراسة السوق", "الزبائن نساء خان يونس ورفح وثلاثة محلات ملابس، والمنافسة من المستورد الغالي."],
    ["خطة التسويق", "السعر مئة وعشرون شيكلًا، البيع عبر المحلات وصفحة فيسبوك وعروض الأعياد."],
    ["خطة التشغيل", "غرفة مستأجرة قرب السوق، ماكينتا خياطة، والقماش من مورد في غزة حسب الطلب."],
    ["الملخص التنفيذي", "مشغل خياطة يوفر وظيفتين لنساء، بتمويل ذاتي ومنحة من الصندوق، ويربح من الشهر الأول."],
  ];
  for (const [section, text] of texts) {
    await openSection(page, section);
    await page.getByLabel("النص").fill(text);
    await expect(saveStatus(page)).toContainText("حُفظ الساعة");
    await page.getByRole("link", { name: "العودة إلى الخطة" }).click();
  }
  await expect(page.locator(".progress-line")).toHaveText("اكتمال الأقسام: 100٪");
  await expect(page.locator(".missing")).toContainText("الخطة مكتملة وجاهزة للتقديم.");
  await page.getByRole("link", { name: "عرض — الخطة المالية" }).click();
  await hydrated(page);
  await expect(page.locator(".indicator").filter({ hasText: "فرص العمل" })).toContainText("٢٫٠ وظيفة بدوام كامل");
  await expect(page.getByRole("img", { name: "النقد في نهاية كل شهر" })).toBeVisible();
  await expect(page.getByRole("region", { name: "الأرباح والخسائر لثلاث سنوات" })).toContainText("السنة ٣");
  await expectAccessible(page);
});

test("a plan downloads as PDF with real Arabic text and as JSON that imports as a second plan", async ({ page }) => {
  await registerViaApi(page, "أم أحمد", uniquePhone());
  const id = await importViaApi(page);
  await page.goto(`/plans/${id}`);
  await hydrated(page);
  await expect(page.locator(".missing-list, .missing .form-notice")).toContainText("الخطة مكتملة وجاهزة للتقديم.");
  await expect(page.locator(".progress-line")).toHaveText("اكتمال الأقسام: 100٪");

  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "تنزيل الخطة PDF" }).click()]);
  const pdfPath = await pdf.path();
  const text = execFileSync("pdftotext", [pdfPath, "-"]).toString().replace(/[\u202A-\u202E\u2066-\u2069]/g, "");
  expect(text).toContain("مشغل خياطة أم أحمد");
  expect(text.indexOf("الملخص التنفيذي")).toBeLessThan(text.indexOf("الخطة المالية"));

  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "تنزيل ملف الخطة (JSON)" }).click()]);
  const jsonPath = await json.path();
  expect(JSON.parse(readFileSync(jsonPath, "utf8")).format).toBe("riyada.plan.v1");

  await page.goto("/plans");
  await hydrated(page);
  // A wrong file first: the problem is named with its JSON path, in Arabic.
  const broken = readFileSync(jsonPath, "utf8").replace('"monthly_qty": [', '"monthly_qty": [1, ');
  await page.getByLabel("ملف الخطة (JSON، حتى 1 ميغابايت)").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from(broken) });
  await page.getByRole("button", { name: "استيراد كخطة جديدة" }).click();
  await expect(page.getByRole("alert")).toContainText("products[0].monthly_qty: يجب أن تكون 12 كمية شهرية، وفي الملف 13.");
  await page.getByLabel("ملف الخطة (JSON، حتى 1 ميغابايت)").setInputFiles(jsonPath);
  await page.getByRole("button", { name: "استيراد كخطة جديدة" }).click();
  await expect(page).toHaveURL(/\/plans\/\d+$/);
  expect(page.url()).not.toMatch(new RegExp(`/plans/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مشغل خياطة أم أحمد");
  await expect(page.locator(".progress-line")).toHaveText("اكتمال الأقسام: 100٪");
});
