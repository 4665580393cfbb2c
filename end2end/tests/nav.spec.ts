import { expect, test } from "@playwright/test";
import { createStaff, expectAccessible, hydrated, importViaApi, registerViaApi, signedIn, uniquePhone } from "./helpers";

test("on a phone the main places are tabs at the bottom, the rest behind «more»; a desktop keeps the header menu", async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await registerViaApi(page, "رنا خليل", uniquePhone());
  await page.goto("/home");
  await hydrated(page);
  const tabs = page.locator(".tab-bar");
  await expect(tabs.getByRole("link")).toHaveText(["الرئيسية", "خططي", "مستنداتي", "الخدمات", "المزيد"]);
  // Stuck to the bottom of the screen, and right to left: home is the right-most tab.
  const bar = await tabs.boundingBox();
  expect(bar && Math.round(bar.y + bar.height)).toBe(740);
  const home = await tabs.getByRole("link", { name: "الرئيسية" }).boundingBox();
  const more = await tabs.getByRole("link", { name: "المزيد" }).boundingBox();
  expect(home && more && home.x > more.x).toBe(true);
  await expect(tabs.getByRole("link", { name: "الرئيسية" })).toHaveAttribute("aria-current", "page");
  // The header's long menu is not shown on a phone.
  await expect(page.locator(".site-header .full-menu")).toBeHidden();
  await expectAccessible(page);

  await tabs.getByRole("link", { name: "خططي" }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await expect(tabs.getByRole("link", { name: "خططي" })).toHaveAttribute("aria-current", "page");
  await expect(tabs.getByRole("link", { name: "الرئيسية" })).not.toHaveAttribute("aria-current", "page");

  // «More» opens everything else, with signing out.
  await tabs.getByRole("link", { name: "المزيد" }).click();
  await expect(page).toHaveURL(/\/menu$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("القائمة");
  const menu = page.locator("main .menu-list");
  await expect(menu.getByRole("link")).toHaveText([
    "الرئيسية", "خططي", "مستنداتي", "الخدمات", "ملفي", "الإشعارات", "الملف الشخصي",
  ]);
  await expect(menu.getByRole("button", { name: "تسجيل الخروج" })).toBeVisible();
  await expect(tabs.getByRole("link", { name: "المزيد" })).toHaveAttribute("aria-current", "page");
  await expectAccessible(page);
  await menu.getByRole("link", { name: "ملفي" }).click();
  await expect(page).toHaveURL(/\/case$/);

  // English reads left to right: home is the left-most tab.
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(tabs.getByRole("link")).toHaveText(["Home", "My plans", "My documents", "Services", "More"]);
  const homeEn = await tabs.getByRole("link", { name: "Home" }).boundingBox();
  const moreEn = await tabs.getByRole("link", { name: "More" }).boundingBox();
  expect(homeEn && moreEn && homeEn.x < moreEn.x).toBe(true);

  // A desktop: the header holds every place, and no tab bar.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(tabs).toBeHidden();
  await expect(page.locator(".site-header .full-menu").getByRole("link", { name: "My case" })).toBeVisible();
});

test("staff get their own tabs on a phone", async ({ browser }) => {
  const email = await createStaff(browser, "advisor", "hebron");
  const context = await signedIn(browser, email);
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/home");
  await hydrated(page);
  await expect(page.locator(".tab-bar").getByRole("link")).toHaveText([
    "الرئيسية", "خطط الغرفة", "التحقق من المستندات", "طلبات الخدمات", "المزيد",
  ]);
  await page.locator(".tab-bar").getByRole("link", { name: "المزيد" }).click();
  await expect(page.locator("main .menu-list").getByRole("link", { name: "سجل المنشآت" })).toBeVisible();
  await context.close();
});

// Staff pages run the whole app, whose links are followed without loading a page; an
// entrepreneur's pages are server HTML with islands, whose links load the next page.
test("a link inside the app changes the tab's title, which is never blank on the way", async ({ browser }) => {
  const email = await createStaff(browser, "advisor", "hebron");
  const context = await signedIn(browser, email);
  const page = await context.newPage();
  await page.goto("/staff/plans");
  await hydrated(page);
  const before = await page.title();
  // Reads the title in task after task from the click until well after the new page shows:
  // each read is what the tab (and a screen reader) could show then.
  await page.evaluate(() => {
    const seen = { blank: 0, titles: [document.title], afterChange: 0, done: false };
    (window as { navTitles?: typeof seen }).navTitles = seen;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      if (document.title === "") seen.blank += 1;
      else if (seen.titles[seen.titles.length - 1] !== document.title) seen.titles.push(document.title);
      if (seen.titles.length > 1) seen.afterChange += 1;
      if (seen.afterChange < 200) channel.port2.postMessage(null);
      else seen.done = true;
    };
    channel.port2.postMessage(null);
  });
  // The header's menu on a desktop, the tab bar on a phone: whichever is shown.
  await page.getByRole("link", { name: "التحقق من المستندات" }).filter({ visible: true }).first().click();
  await expect(page).toHaveURL(/\/staff\/documents$/);
  const reads = () =>
    page.evaluate(() => (window as { navTitles?: { blank: number; titles: string[]; done: boolean } }).navTitles);
  // Still the same document (the app drew the page), and the reads ran to their end.
  await expect.poll(async () => (await reads())?.done).toBe(true);
  const seen = await reads();
  expect(seen?.blank, "reads that found the title empty").toBe(0);
  expect(seen?.titles).toEqual([before, await page.title()]);
  expect(await page.title()).not.toBe(before);
  await context.close();
});

test("an entrepreneur's link loads the next page, which arrives with its own title", async ({ page }) => {
  await registerViaApi(page, "رنا سالم", uniquePhone());
  const id = await importViaApi(page);
  await page.goto(`/plans/${id}`);
  await hydrated(page);
  const before = await page.title();
  await page.locator(".section-list").getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/plans/${id}/[a-z_]+$`));
  await hydrated(page);
  await expect(page).not.toHaveTitle(before);
  await expect(page).toHaveTitle(/ريادة/);
});
