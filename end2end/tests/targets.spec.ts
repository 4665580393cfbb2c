import { expect, Page, test } from "@playwright/test";
import { expectAccessible, FUND_EMAIL, FUND_PASSWORD, hydrated, importViaApi, registerViaApi, signInAs, uniquePhone } from "./helpers";

type Small = { what: string; width: number; height: number; need: number };

/**
 * Every interactive element of the page, as laid out now, that is smaller than a thumb
 * needs: 44×44 px for buttons, menu entries and disclosure summaries, 24×24 px for the rest
 * (WCAG 2.2's 2.5.8 minimum). Links inside a sentence are exempt, as 2.5.8 allows; so is
 * a control drawn visually hidden under its label (the label is the target then).
 */
async function smallTargets(page: Page): Promise<Small[]> {
  return page.evaluate(() => {
    const interactive =
      "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])";
    const big = "button, [role=button], input[type=submit], input[type=button], .button, summary, nav a, .menu-list a";
    const inSentence = (el: Element) => {
      const parent = el.parentElement;
      if (!parent || getComputedStyle(el).display !== "inline") return false;
      const around = (parent.textContent ?? "").replace(el.textContent ?? "", "").trim();
      return around.length > 0;
    };
    const small: { what: string; width: number; height: number; need: number }[] = [];
    for (const el of Array.from(document.querySelectorAll(interactive))) {
      if (el.closest(".visually-hidden")) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden") continue;
      const box = el.getBoundingClientRect();
      // Not laid out (in a closed <details>, display: none), or the skip link parked above
      // the page until it is focused.
      if ((box.width === 0 && box.height === 0) || box.bottom <= 0) continue;
      if (el.tagName === "A" && inSentence(el)) continue;
      const need = el.matches(big) ? 44 : 24;
      if (box.width < need - 0.5 || box.height < need - 0.5) {
        const name = (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 30);
        const what = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${Array.from(el.classList).join(".")} «${name}»`;
        small.push({ what, width: Math.round(box.width), height: Math.round(box.height), need });
      }
    }
    return small;
  });
}

/** Each page: no control too small, and no WCAG 2.2 AA violation axe can find. */
async function expectThumbSized(page: Page, paths: string[]) {
  for (const path of paths) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator("main h1").first()).toBeVisible();
    expect(await smallTargets(page), `targets too small on ${path}`).toEqual([]);
    await expectAccessible(page);
  }
}

test("every control of the public pages is thumb-sized, in Arabic and English", async ({ page }) => {
  const pages = ["/", "/sign-in", "/register", "/forgot-password", "/menu"];
  await expectThumbSized(page, pages);
  await page.goto("/");
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expectThumbSized(page, pages);
});

test("every control an entrepreneur touches is thumb-sized, the plan's tables included", async ({ page }) => {
  test.setTimeout(120_000);
  await registerViaApi(page, "هالة يوسف", uniquePhone());
  const id = await importViaApi(page);
  const pages = [
    "/home",
    "/menu",
    "/plans",
    `/plans/${id}`,
    `/plans/${id}/startup`,
    `/plans/${id}/sales`,
    `/plans/${id}/team`,
    `/plans/${id}/financials`,
    "/documents",
    "/services",
    "/case",
    "/profile",
    "/notifications",
  ];
  await expectThumbSized(page, pages);
  await page.goto("/home");
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expectThumbSized(page, ["/home", "/menu", `/plans/${id}/sales`, "/profile"]);
});

test("every control the Fund's staff touch is thumb-sized, in Arabic and English", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, FUND_EMAIL, FUND_PASSWORD);
  await expectThumbSized(page, [
    "/home",
    "/menu",
    "/fund",
    "/fund/sms",
    "/staff/plans",
    "/staff/documents",
    "/staff/services",
    "/staff/establishments",
    "/staff/users",
    "/staff/catalogue",
  ]);
  await page.goto("/home");
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expectThumbSized(page, ["/home", "/menu", "/fund", "/staff/plans", "/staff/services", "/staff/catalogue"]);
});
