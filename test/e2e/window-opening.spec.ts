import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

/**
 * A window's script held back until the test lets it go: the narrow seam that makes "Opening…" last as long as on a busy
 * clerk PC. Every request for it waits (the idle-time prefetch's too).
 */
async function holdScript(page: Page, name: string): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route(new RegExp(`/assets/${name}-[^/]*\\.js$`), async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** The same keyboard-wedge scan as scanning.spec.ts: keys 5 ms apart by their own timestamps, then Enter. */
async function scan(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const t0 = Date.now() / 1000;
    const keys = [...[...code].map((ch) => ({ key: ch, text: ch })), { key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 }];
    await Promise.all(
      keys.flatMap((k, i) => [
        cdp.send('Input.dispatchKeyEvent', { ...k, type: 'keyDown', timestamp: t0 + i * 0.005 }),
        cdp.send('Input.dispatchKeyEvent', { key: k.key, type: 'keyUp', timestamp: t0 + i * 0.005 + 0.001 }),
      ]),
    );
  } finally {
    await cdp.detach();
  }
}

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

test('keys typed while a window opens are not used, and the clerk is told how many — nothing lands in a field later', async ({ page }) => {
  const release = await holdScript(page, 'ProductsPage');
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByRole('heading', { name: 'This database is empty' })).toBeVisible({ timeout: 30_000 }); // the first window shows
  await page.keyboard.press('Alt+6'); // Products, from the keyboard: the Stock window (and its focused field) goes
  await expect(page.getByText('Opening…')).toBeVisible();
  await page.keyboard.type('4711', { delay: 60 }); // a person's pace: typing, not a scan
  await page.keyboard.press('Enter');
  release();
  await expect(page.getByTestId('product-new')).toBeVisible();
  const notice = page.getByTestId('unused-keys');
  await expect(notice).toHaveText('5 keys typed while the window was opening were not used — type them again (or scan again).');
  await page.screenshot({ path: 'test-results/window-opening-unused-keys.png' });
  // Nothing was replayed into a field.
  for (const input of await page.locator('main input').all()) await expect(input).not.toHaveValue(/4711/);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('a scan made while a window opens goes to that window once it is open, and is not counted as lost keys', async ({ page }) => {
  const release = await holdScript(page, 'EnquiryPage');
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByRole('heading', { name: 'This database is empty' })).toBeVisible({ timeout: 30_000 }); // the first window shows
  await page.keyboard.press('Alt+1'); // Enquiry: it takes scans as searches
  await expect(page.getByText('Opening…')).toBeVisible();
  await scan(page, '4006381333931');
  release();
  await expect(page.getByTestId('mv-search')).toBeVisible();
  await expect(page.getByTestId('scan-notice')).toContainText('Searching movements for 04006381333931');
  await page.screenshot({ path: 'test-results/window-opening-scan.png' });
  await expect(page.getByTestId('unused-keys')).toHaveCount(0);
});

test("a window whose script cannot be fetched says so in its place with Retry; the rest of the app stays, and Retry opens it", async ({ page }) => {
  let failing = true;
  await page.route(/\/assets\/SitesPage-[^/]*\.js$/, (route) => (failing ? route.abort('connectionreset') : route.continue()));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByRole('heading', { name: 'This database is empty' })).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nav-sites').click();
  const error = page.getByTestId('window-error');
  await expect(error).toContainText('This window could not be opened.');
  await expect(error).toContainText('press Retry');
  await page.screenshot({ path: 'test-results/window-opening-error.png' });
  await expect(page.getByTestId('nav-suppliers')).toBeVisible(); // the rail is still there
  failing = false;
  await error.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('site-new')).toBeVisible();
  await expect(error).toHaveCount(0);
});
