import { expect, test } from "@playwright/test";
import { expectAccessibleWithoutJs, registerViaApi, uniquePhone } from "./helpers";

test("without JavaScript: a document goes up through the plain form, a wrong file is refused in Arabic", async ({ page }) => {
  await registerViaApi(page, "سامي خليل", uniquePhone());
  await page.goto("/documents");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("مستنداتي");
  // The chunked uploader needs JavaScript and is not shown; the plain form is.
  await expect(page.getByRole("button", { name: "اختيار ملفات" })).toHaveCount(0);
  const form = page.locator("form.no-js-only").first();
  await form.getByLabel("نوع المستند").selectOption("id_copy");
  await form.getByLabel("الملف").setInputFiles({
    name: "هوية.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n" + "x".repeat(5000) + "\n%%EOF\n"),
  });
  await form.getByRole("button", { name: "رفع الملف" }).click();
  await expect(page).toHaveURL(/\/documents\?uploaded=\d+$/);
  await expect(page.getByRole("status")).toHaveText("تم رفع المستند.");
  const item = page.locator(".doc-card").filter({ hasText: "هوية.pdf" });
  await expect(item).toContainText("صورة الهوية");
  await expect(item).toContainText("بانتظار التحقق");
  await expectAccessibleWithoutJs(page);

  await form.getByLabel("الملف").setInputFiles({ name: "ملاحظات.txt", mimeType: "text/plain", buffer: Buffer.from("نص عادي") });
  await form.getByRole("button", { name: "رفع الملف" }).click();
  await expect(page).toHaveURL(/\/documents\?problem=unsupported_type$/);
  await expect(page.getByRole("alert")).toHaveText("نوع الملف غير مقبول. ارفع ملف PDF أو صورة JPEG أو PNG أو WebP.");
  await expect(page.locator(".doc-card")).toHaveCount(1);
});
