import { expect, test } from "@playwright/test";
import { createStaff, expectAccessible, hydrated, registerViaApi, signedIn, uniquePhone } from "./helpers";

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
