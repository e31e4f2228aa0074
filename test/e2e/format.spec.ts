import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

/**
 * Issue 14, "Finished": one date format from the company locale (typed into Fluent's date picker), an empty dashboard
 * that says what to do first, and a lost connection that the window and its waiting panels say plainly.
 */
test('an empty ledger: the dashboard explains itself; dates are picked and typed in the company format', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.evaluate(() => (window.location.hash = '#/enquiry'));
  await page.getByTestId('tab-dashboard').click();
  const empty = page.getByTestId('dash-empty');
  await expect(empty).toContainText('Nothing to chart yet');
  await expect(empty.getByRole('link', { name: 'Operations' })).toHaveAttribute('href', '#/operations');
  await expect(page.getByTestId('dashboard').getByTestId('chart-surface')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/format-dashboard-empty.png' });

  // Stock at a date: one text box for date and time, in the company's order (the placeholder says which).
  await page.getByTestId('tab-at-date').click();
  const at = page.getByTestId('sad-at');
  const hint = (await at.getAttribute('placeholder')) ?? '';
  expect(hint).toMatch(/^(dd|mm|yyyy)[./-](dd|mm)[./-](yyyy|dd) hh:mm:ss/);
  const dayFirst = hint.startsWith('dd');
  const yearFirst = hint.startsWith('yyyy');
  const typed = yearFirst ? '2026.3.4 7:05:09' : dayFirst ? '4/3/2026 07:05:09' : '3/4/2026 07:05:09';
  await at.fill(typed);
  await at.press('Tab');
  // Written back as the grids write it: two-digit day and month, the full year, the time.
  await expect(at).toHaveValue(yearFirst ? /^2026.03.04.*07:05:09/ : dayFirst ? /^04.03.2026.*07:05:09/ : /^03.04.2026.*07:05:09/);
  // Not a date: the field says what to type and keeps the last good value.
  await at.fill('31/31/2026 10:00:00');
  await at.press('Tab');
  await expect(page.getByTestId('stock-at-date').getByText(`as ${hint}`)).toBeVisible();
  await expect(at).toHaveValue(yearFirst ? /^2026.03.04/ : dayFirst ? /^04.03.2026/ : /^03.04.2026/);

  // The calendar opens from the keyboard (Alt+Down) and picking a day keeps the time.
  await at.focus();
  await at.press('Alt+ArrowDown');
  const calendar = page.getByRole('dialog', { name: 'Calendar' });
  await expect(calendar).toBeVisible();
  await page.screenshot({ path: 'test-results/format-picker-open.png' });
  await calendar.getByRole('gridcell', { name: /^10,/ }).first().click();
  await expect(calendar).toBeHidden();
  await expect(at).toHaveValue(yearFirst ? /^2026.03.10.*07:05:09/ : dayFirst ? /^10.03.2026.*07:05:09/ : /^03.10.2026.*07:05:09/);
  await page.getByTestId('sad-show').click();
  await expect(page.getByTestId('sad-summary')).toContainText('lines as at');
  expect(errors).toEqual([]);
});

test('a lost connection shows a banner; waiting panels say they wait for it and load when it is back', async ({ page }) => {
  let down = false;
  const open: { close: () => Promise<void> }[] = [];
  await page.routeWebSocket(/\/ipc/, (ws) => {
    if (down) {
      void ws.close();
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await expect(page.getByTestId('last-backup')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);

  down = true;
  for (const ws of open.splice(0)) await ws.close();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('Lost the connection to Stockbook.');
  // A window opened now waits for the connection, and says so instead of "Loading…" for ever.
  await page.evaluate(() => (window.location.hash = '#/stock'));
  await page.evaluate(() => (window.location.hash = '#/settings'));
  const waiting = page.getByTestId('backups-waiting');
  await expect(waiting).toHaveText('Loading backups — waiting for the connection to Stockbook.');
  await page.screenshot({ path: 'test-results/format-connection-lost.png' });

  down = false;
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await expect(waiting).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('last-backup')).toBeVisible();
});
