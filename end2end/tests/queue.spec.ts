import { expect, test } from "@playwright/test";
import { createStaff, expectAccessible, hydrated, signedIn } from "./helpers";
import { submittedPlanOf, uniqueTitle } from "./queue-setup";

const UNASSIGNED = "لم تُسند بعد";

test("a manager finds a plan in the chamber's queue by a loosely spelled search and filters", async ({ page, browser }) => {
  const title = uniqueTitle("مخبزة الأمل");
  const id = await submittedPlanOf(page.request, "آمنة يوسف", "tubas", title);
  const manager = await signedIn(browser, await createStaff(browser, "chamber-manager", "tubas"));
  const queue = await manager.newPage();
  await queue.goto("/home");
  await hydrated(queue);
  // The staff home says what waits, each count a link into the filtered queue.
  const waiting = queue.getByRole("link", { name: /^خطط تنتظر مستشاراً: [١-٩]/ });
  await expect(queue.getByRole("heading", { name: "ما ينتظرك" })).toBeVisible();
  await waiting.click();
  await expect(queue.getByRole("heading", { level: 1 })).toHaveText("خطط الغرفة");
  await hydrated(queue);
  // Filters in use are shown open, with their values.
  const more = queue.locator("details.queue-more");
  await expect(more).toHaveAttribute("open");
  await expect(queue.getByLabel("الحالة")).toHaveValue("submitted");
  await expect(queue.getByLabel("المستشار/ة")).toHaveValue("none");

  // Typed without hamza, with ه for ة and in Arabic-Indic digits: still found.
  const digits = title.split(" ").pop() ?? "";
  const arabicDigits = digits.replace(/[0-9]/g, (d) => "٠١٢٣٤٥٦٧٨٩"[Number(d)]);
  await queue.getByLabel("عنوان الخطة أو اسم صاحبها").fill(`مخبزه الامل ${arabicDigits}`);
  await queue.getByRole("button", { name: "عرض", exact: true }).click();
  await expect(queue).toHaveURL(/status=submitted/);
  await expect(queue).toHaveURL(/assigned=none/);
  await expect(queue.locator(".queue-total")).toHaveText("عدد الخطط: ١");
  const row = queue.locator(`.plan-item[data-plan="${id}"]`);
  await expect(row).toContainText(title);
  await expect(row).toContainText("آمنة يوسف");
  await expect(row).toContainText("الأيام في هذه الحالة: ٠");
  await expect(row).toContainText(`المستشار المسؤول: ${UNASSIGNED}`);
  await expectAccessible(queue);

  // The link holds the query: opened afresh, the same filters and the same plan.
  const shared = queue.url();
  await queue.goto(shared);
  await expect(more).toHaveAttribute("open");
  await expect(queue.getByLabel("الحالة")).toHaveValue("submitted");
  await expect(queue.locator(`.plan-item[data-plan="${id}"]`)).toHaveCount(1);

  // Dates the wrong way round are told next to the field, the other filters kept.
  await hydrated(queue);
  await queue.getByLabel("قُدّمت من تاريخ").fill("2026-05-01");
  await queue.getByLabel("قُدّمت حتى تاريخ").fill("2026-04-01");
  await queue.getByRole("button", { name: "عرض", exact: true }).click();
  await expect(queue.locator("#queue-to-error")).toHaveText("التاريخ غير صحيح.");
  await expect(queue.getByLabel("عنوان الخطة أو اسم صاحبها")).toHaveValue(`مخبزه الامل ${arabicDigits}`);
  await expect(queue.getByLabel("الحالة")).toHaveValue("submitted");
  await expectAccessible(queue);

  // Clearing the filters and opening the plan.
  await queue.getByRole("link", { name: "مسح التصفية" }).click();
  await expect(queue.getByLabel("عنوان الخطة أو اسم صاحبها")).toHaveValue("");
  // With no filter in use, they fold away (a phone sees the plans first).
  await expect(more).not.toHaveAttribute("open");
  await queue.goto(shared);
  await queue.locator(`.plan-item[data-plan="${id}"]`).getByRole("link").click();
  await expect(queue).toHaveURL(new RegExp(`/plans/${id}#case$`));
  await manager.close();
});
