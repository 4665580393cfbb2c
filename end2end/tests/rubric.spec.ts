import { expect, test } from "@playwright/test";
import { FUND_EMAIL, FUND_PASSWORD, expectAccessible, hydrated } from "./helpers";

// Other tests score plans on the rubric in force, so this one never saves a valid rubric:
// it proves the editor shows the rubric and refuses a broken one with every problem.
test("the Fund's rubric editor shows the criteria and refuses weights that do not add up to 100", async ({ page }) => {
  const login = await page.request.post("/api/auth/login", {
    headers: { accept: "application/json" },
    form: { identifier: FUND_EMAIL, password: FUND_PASSWORD },
  });
  expect(login.status()).toBe(200);
  await page.goto("/home");
  await hydrated(page);
  await page.getByRole("link", { name: "معايير التقييم" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("معايير التقييم");
  await hydrated(page);
  await expect(page.getByLabel("الاسم العربي للمعيار ٥")).toHaveValue("السلامة المالية");
  await expect(page.getByLabel("وزن المعيار ٥")).toHaveValue("25");
  await page.getByLabel("وزن المعيار ٥").fill("١٥");
  await page.getByLabel("الاسم الإنجليزي للمعيار ٢").fill("");
  await page.getByRole("button", { name: "حفظ كنسخة جديدة" }).click();
  const problems = page.locator(".form-error-list");
  await expect(problems).toContainText("مجموع الأوزان ٩٠، ويجب أن يكون ١٠٠.");
  await expect(problems).toContainText("الصف ٢: هذا الحقل مطلوب.");
  // What was typed stays, and the rubric in force is unchanged.
  await expect(page.getByLabel("وزن المعيار ٥")).toHaveValue("١٥");
  await expectAccessible(page);
  const rubric = await page.request.post("/api/review/rubric", { headers: { accept: "application/json" } });
  expect((await rubric.json()).version).toBe(1);
});
