import { expect, Locator, Page, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { createStaff, expectAccessible, hydrated, openFromMenu, registerViaApi, signedIn, uniquePhone } from "./helpers";

const MiB = 1024 * 1024;

/** A PDF-looking file of `size` bytes with random content (so no two are alike). */
function pdf(size: number): Buffer {
  const head = Buffer.from("%PDF-1.4\n");
  const tail = Buffer.from("\n%%EOF\n");
  return Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
}

/** A large phone-camera-like JPEG (about 4000×3000), drawn in the page itself. */
async function bigPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 4000;
    canvas.height = 3000;
    const g = canvas.getContext("2d")!;
    const gradient = g.createLinearGradient(0, 0, 4000, 3000);
    gradient.addColorStop(0, "#3a7bd5");
    gradient.addColorStop(1, "#f5d76e");
    g.fillStyle = gradient;
    g.fillRect(0, 0, 4000, 3000);
    // Some texture, as in a real photo, so the file is several megabytes.
    for (let i = 0; i < 60000; i++) {
      g.fillStyle = `hsl(${(i * 37) % 360}, 60%, ${30 + (i % 40)}%)`;
      g.fillRect((i * 7919) % 4000, (i * 104729) % 3000, 6 + (i % 9), 6 + (i % 7));
    }
    return canvas.toDataURL("image/jpeg", 0.97).split(",")[1];
  });
  return Buffer.from(base64, "base64");
}

function uploadSection(page: Page): Locator {
  return page
    .locator("section")
    .filter({ has: page.getByRole("heading", { level: 2, name: "رفع مستند" }) })
    .locator(".uploader");
}

function card(page: Page, name: string | RegExp): Locator {
  return page.locator(".doc-card").filter({ hasText: name });
}

test("photo and PDF upload on a bad network, the chamber verifies and rejects, the rejected one is replaced", async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(120_000);
  await registerViaApi(page, "ليلى حسن", uniquePhone());
  await page.goto("/home");
  await openFromMenu(page, "مستنداتي");
  await expect(page).toHaveURL(/\/documents$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مستنداتي");
  await expect(page.getByText("لا توجد مستندات بعد.")).toBeVisible();
  await expectAccessible(page);
  const uploader = uploadSection(page);

  // A large photo is made smaller in the browser before it travels.
  const photo = await bigPhoto(page);
  expect(photo.length).toBeGreaterThan(2 * MiB);
  await uploader.getByLabel("نوع المستند").selectOption("personal_photo");
  await uploader.getByLabel("اختيار ملفات").setInputFiles({ name: "IMG_20261128.jpg", mimeType: "image/jpeg", buffer: photo });
  const photoRow = uploader.locator(".upload-item").filter({ hasText: "IMG_20261128.jpg" });
  await expect(photoRow.locator(".upload-state")).toHaveText("تم الرفع", { timeout: 30_000 });
  await expect(photoRow.locator(".upload-percent")).toHaveText("١٠٠%");
  await expect(photoRow).toHaveAttribute("data-state", "done");
  const library = await (await page.request.post("/api/documents/mine", { headers: { accept: "application/json" } })).json();
  const stored = library.documents[0].size as number;
  expect(stored).toBeGreaterThan(50_000);
  expect(stored).toBeLessThan(photo.length / 4);
  await expect(card(page, "IMG_20261128.jpg")).toContainText("صورة شخصية");
  await expect(card(page, "IMG_20261128.jpg")).toContainText("بانتظار التحقق");

  // A 3 MiB PDF: the connection drops on the second chunk and comes back.
  const offsets: number[] = [];
  let cut = false;
  await page.route(/\/uploads\/[0-9a-f]+\?offset=/, async (route) => {
    const offset = Number(new URL(route.request().url()).searchParams.get("offset"));
    offsets.push(offset);
    if (offset === MiB && !cut) {
      cut = true;
      await context.setOffline(true);
      await route.abort("internetdisconnected");
      return;
    }
    await route.continue();
  });
  await uploader.getByLabel("نوع المستند").selectOption("lease_contract");
  await uploader.getByLabel("اختيار ملفات").setInputFiles({ name: "عقد الإيجار.pdf", mimeType: "application/pdf", buffer: pdf(3 * MiB) });
  const pdfRow = uploader.locator(".upload-item").filter({ hasText: "عقد الإيجار.pdf" });
  await expect(pdfRow.locator(".upload-state")).toHaveText("انقطع الاتصال، وسيُستأنف الرفع وحده عند عودته.");
  await expect(pdfRow.locator("progress")).toHaveAttribute("value", "33");
  await expect(pdfRow).toHaveAttribute("data-state", "waiting");
  await context.setOffline(false);
  await expect(pdfRow.locator(".upload-state")).toHaveText("تم الرفع", { timeout: 30_000 });
  // After the cut it continued from the chunk the server had confirmed, not from zero.
  expect(offsets.filter((o) => o === 0)).toHaveLength(1);
  expect(offsets.slice(-2)).toEqual([MiB, 2 * MiB]);
  await page.unroute(/\/uploads\//);
  await expect(card(page, "عقد الإيجار.pdf")).toContainText("بانتظار التحقق");

  // Bad files are refused in Arabic and nothing is kept.
  const refusals: [string, Buffer, string][] = [
    ["ملاحظات.txt", Buffer.from("ليس مستندًا"), "نوع الملف غير مقبول. ارفع ملف PDF أو صورة JPEG أو PNG أو WebP."],
    ["فارغ.pdf", Buffer.alloc(0), "الملف فارغ (0 بايت). اختر الملف الصحيح."],
    ["invoice\u202Efdp.exe", pdf(4000), "امتداد اسم الملف لا يطابق محتواه. صحّح اسم الملف أو صدّره من جديد."],
    [
      "عرض سعر.pdf",
      Buffer.concat([pdf(4000), Buffer.from("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")]),
      "رُفض الملف لأن فحص الفيروسات وجد فيه برنامجًا ضارًا. لم يُحفظ منه شيء.",
    ],
    ["كبير.pdf", pdf(21 * MiB), "الملف أكبر من الحد المسموح (20 ميغابايت)."],
  ];
  for (const [name, buffer, message] of refusals) {
    await uploader.getByLabel("اختيار ملفات").setInputFiles({ name, mimeType: "application/octet-stream", buffer });
    const row = uploader.locator(".upload-item").filter({ hasText: name });
    // Announced to a screen reader, and the row's state is "failed", not a retry in progress.
    await expect(row.getByRole("alert")).toHaveText(message, { timeout: 30_000 });
    await expect(row).toHaveAttribute("data-state", "failed");
    await expect(row.getByRole("button", { name: "إعادة المحاولة" })).toBeVisible();
  }
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".doc-card")).toHaveCount(2);
  await expectAccessible(page);

  const photoId = await card(page, "IMG_20261128.jpg").getAttribute("data-document");
  const pdfId = await card(page, "عقد الإيجار.pdf").getAttribute("data-document");

  // The advisor of the entrepreneur's chamber (Rafah) verifies the photo, rejects the PDF.
  const advisorEmail = await createStaff(browser, "advisor", "rafah");
  const advisor = await signedIn(browser, advisorEmail);
  const staff = await advisor.newPage();
  await staff.setViewportSize(page.viewportSize() ?? { width: 360, height: 740 });
  await staff.goto("/staff/documents");
  await hydrated(staff);
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText("مستندات بانتظار التحقق");
  // Other runs share the server: this person's documents are found by their ids.
  const staffPhoto = staff.locator(`.doc-card[data-document="${photoId}"]`);
  const staffLease = staff.locator(`.doc-card[data-document="${pdfId}"]`);
  // Thumbnails load lazily, as the card comes into view.
  await staffPhoto.scrollIntoViewIfNeeded();
  await expect(staffPhoto.locator("img.doc-thumb")).toHaveJSProperty("complete", true);
  expect(await staffPhoto.locator("img.doc-thumb").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expectAccessible(staff);
  await staffPhoto.getByRole("button", { name: "تأكيد صحة المستند" }).click();
  await expect(staff.getByRole("status")).toHaveText("حُفظ القرار.");
  await expect(staffPhoto).toHaveCount(0);
  // A rejection needs a reason the entrepreneur can act on.
  await staffLease.getByRole("button", { name: "رفض المستند" }).click();
  await expect(staff.locator("#reject-reason-error")).toHaveText("هذا الحقل مطلوب.");
  await staffLease.getByLabel("سبب الرفض (يراه صاحب المستند)").fill("الصفحة الثانية غير واضحة");
  await staffLease.getByRole("button", { name: "رفض المستند" }).click();
  await expect(staffLease).toHaveCount(0);

  // Another entrepreneur and an advisor of another chamber get 404 for the files.
  const stranger = await browser.newContext();
  await registerViaApi(await stranger.newPage(), "غريب", uniquePhone());
  const otherAdvisor = await signedIn(browser, await createStaff(browser, "advisor", "hebron"));
  for (const outsider of [stranger, otherAdvisor]) {
    for (const path of [`/documents/${photoId}/file`, `/documents/${photoId}/thumb`, `/documents/${pdfId}/file`]) {
      expect((await outsider.request.get(path)).status()).toBe(404);
    }
  }
  expect((await advisor.request.get(`/documents/${pdfId}/file`)).status()).toBe(200);
  await Promise.all([stranger.close(), otherAdvisor.close(), advisor.close()]);

  // The entrepreneur sees both decisions and replaces the rejected document.
  await page.reload();
  await hydrated(page);
  await expect(card(page, "IMG_20261128.jpg")).toContainText("تم التحقق");
  await expect(card(page, "IMG_20261128.jpg")).toContainText("تم التحقق من هذا المستند، فلا يمكن تغييره.");
  const rejected = card(page, "عقد الإيجار.pdf");
  await expect(rejected).toContainText("مرفوض");
  await expect(rejected).toContainText("سبب الرفض: الصفحة الثانية غير واضحة");
  await rejected.getByText("استبدال بملف جديد").click();
  await rejected.getByLabel("اختيار ملفات").setInputFiles({ name: "عقد موقع.pdf", mimeType: "application/pdf", buffer: pdf(200_000) });
  await expect(card(page, "عقد موقع.pdf")).toContainText("بانتظار التحقق", { timeout: 30_000 });
  await expect(page.locator(".doc-card")).toHaveCount(2);
  const replaced = card(page, "عقد موقع.pdf");
  await replaced.getByText("الإصدارات السابقة").click();
  await expect(replaced.locator("details.earlier")).toContainText("الصفحة الثانية غير واضحة");
});
