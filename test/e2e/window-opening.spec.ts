import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

/** Whether "Opening…" ever showed, from now on (a MutationObserver in the page). */
async function watchOpening(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { openingSeen: boolean };
    w.openingSeen = false;
    new MutationObserver(() => {
      if (document.body.innerText.includes('Opening…')) w.openingSeen = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { openingSeen: boolean }).openingSeen);
}

test('once the first window shows, the other windows load in idle time: switching to one never shows "Opening…"', async ({ page }) => {
  const asked = new Set<string>();
  page.on('request', (r) => {
    const m = /\/assets\/([A-Za-z]+Page)-[^/]*\.js$/.exec(r.url());
    if (m) asked.add(m[1]!);
  });
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('nav-sites')).toBeVisible();
  // Nobody opened them: the app fetched every window's script by itself.
  await expect.poll(() => [...asked].sort()).toEqual(
    ['CatalogPage', 'CompanyPage', 'CountsPage', 'CurrentStockPage', 'EnquiryPage', 'OperationsPage', 'PostingPage', 'ProductsPage', 'RecipesPage', 'SettingsPage', 'SitesPage', 'SuppliersPage'],
  );
  await page.waitForLoadState('networkidle');
  const openingSeen = await watchOpening(page);
  for (const [id, shown] of [['sites', 'site-new'], ['suppliers', 'supplier-new'], ['products', 'product-new'], ['settings', 'scanner-save'], ['enquiry', 'mv-search']]) {
    await page.getByTestId(`nav-${id}`).click();
    await expect(page.getByTestId(shown!)).toBeVisible();
  }
  expect(await openingSeen()).toBe(false);
});
