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
  // Not a date: the field says what to type and keeps the text as typed; Show stock refuses at the field, naming it —
  // it does not show the stock at the time from before the typing.
  await at.fill('31/31/2026 10:00:00');
  await at.press('Tab');
  await expect(page.getByTestId('stock-at-date').getByText(`as ${hint}`)).toBeVisible();
  await expect(at).toHaveValue('31/31/2026 10:00:00');
  await page.getByTestId('sad-show').click();
  await expect(page.getByTestId('sad-at-field')).toContainText("Stock as at: what is typed is not a date and time. Type one as the field's hint shows");
  await expect(page.getByTestId('sad-summary')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/format-sad-refused.png' });
  // Emptied: refused too (there is no "as at nothing").
  await at.fill('');
  await page.getByTestId('sad-show').click();
  await expect(page.getByTestId('sad-at-field')).toContainText('Stock as at is empty: type the date and time to show the stock at');
  await expect(page.getByTestId('sad-summary')).toHaveCount(0);
  await at.fill(typed);
  await at.press('Tab');
  await expect(page.getByTestId('sad-at-field')).not.toContainText('is empty');

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
  // Exactly the day picked and the time typed, to the second (the echo dropped ":09" though the query used it).
  await expect(page.getByTestId('sad-summary')).toContainText(yearFirst ? /lines as at 2026.03.10.*07:05:09(\s*AM)? —/ : dayFirst ? /lines as at 10.03.2026.*07:05:09(\s*AM)? —/ : /lines as at 03.10.2026.*07:05:09(\s*AM)? —/);
  await page.screenshot({ path: 'test-results/format-sad-seconds.png' });
  expect(errors).toEqual([]);
});

test('report periods and movement filters take the dates typed, or say which field cannot be read', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.evaluate(() => (window.location.hash = '#/enquiry'));

  // Reports: the period is exactly the days typed (the sheet's heading says it).
  await page.getByTestId('tab-reports').click();
  const from = page.getByTestId('report-from');
  const to = page.getByTestId('report-to');
  const hint = (await from.getAttribute('placeholder')) ?? '';
  const dayFirst = hint.startsWith('dd');
  const yearFirst = hint.startsWith('yyyy');
  const day = (d: number, m: number) => (yearFirst ? `2026.${m}.${d}` : dayFirst ? `${d}/${m}/2026` : `${m}/${d}/2026`);
  const shown = (d: string, m: string) => (yearFirst ? `2026.${m}.${d}` : dayFirst ? `${d}.${m}.2026` : `${m}.${d}.2026`);
  await from.fill(day(2, 3));
  await to.fill(day(9, 4));
  await to.press('Tab');
  const heading = page.locator('[data-print-root] p').first();
  await expect(heading).toContainText(new RegExp(`^${shown('02', '03')},? [^–]+ – ${shown('09', '04')},? `));
  const print = page.getByTestId('report-print');
  await expect(print).toBeEnabled();

  // Not a date in From: said at the field, the report has no period, Print waits — not the period from before.
  await from.fill('31/31/2026');
  await from.press('Tab');
  await expect(from).toHaveValue('31/31/2026');
  await expect(page.getByTestId('report-from-field')).toContainText("From: what is typed is not a date. Type one as the field's hint shows");
  await expect(heading).toContainText(/^No period · /);
  await expect(print).toBeDisabled();
  await page.screenshot({ path: 'test-results/format-report-from-refused.png' });
  // Emptied To: the form has no open-ended period, so it says what to type (it was ignored before).
  await from.fill(day(2, 3));
  await to.fill('');
  await to.press('Tab');
  await expect(page.getByTestId('report-to-field')).toContainText('To is empty: type the last day of the period');
  await expect(heading).toContainText(/^No period · /);
  await expect(print).toBeDisabled();
  await to.fill(day(1, 3));
  await to.press('Tab');
  await expect(page.getByTestId('report-to-field')).toContainText('To: the period must end on or after the day it starts.');
  await to.fill(day(3, 3));
  await to.press('Tab');
  await expect(heading).toContainText(new RegExp(`^${shown('02', '03')},? [^–]+ – ${shown('03', '03')},? `));
  await expect(print).toBeEnabled();

  // Movement filters: Occurred from takes the day typed; text that is not a date keeps the editor open, the list waits
  // and says which field — it is not filtered by the day from before.
  await page.getByRole('tab', { name: 'Movements' }).click();
  const chip = page.getByTestId('chip-occurred');
  await chip.getByRole('button').first().click();
  const rangeFrom = page.getByTestId('range-from');
  await rangeFrom.fill(day(5, 3));
  await rangeFrom.press('Tab');
  await expect(chip).toContainText(new RegExp(shown('05', '03')));
  await rangeFrom.fill('5/5/5/5');
  await rangeFrom.press('Tab');
  await expect(page.getByTestId('error-bar')).toContainText('No movements are shown until the date filter reads.');
  await expect(page.getByTestId('error-bar')).toContainText("Occurred from: what is typed is not a date. Type one as the field's hint shows, or pick a day in the calendar, or empty it for no limit.");
  await expect(page.getByTestId('mv-count')).toHaveText('waiting for a date the filter can read');
  await expect(chip).toContainText('Occurred:not a date yet');
  await expect(page.getByTestId('mv-no-rows')).toContainText('Not shown while a date in the filters cannot be read');
  await page.keyboard.press('Escape');
  await expect(rangeFrom).toBeVisible(); // the editor stays open: closing would drop what was typed
  await expect(rangeFrom).toHaveValue('5/5/5/5');
  await page.screenshot({ path: 'test-results/format-filter-refused.png' });
  await page.getByTestId('export-csv').click();
  await expect(page.getByTestId('error-bar').filter({ hasText: 'The export did not start.' })).toContainText('Occurred from: what is typed is not a date.');
  await rangeFrom.fill(day(6, 3));
  await rangeFrom.press('Tab');
  await expect(page.getByTestId('error-bar').filter({ hasText: 'No movements are shown' })).toHaveCount(0);
  await expect(chip).toContainText(new RegExp(shown('06', '03')));
  await expect(page.getByTestId('mv-count')).toHaveText(/movements?$/);
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
  // Settings is gone before it is opened again: under load both address changes could otherwise reach the app before it
  // drew the first, and Settings would stay as it was, its backups still shown.
  await expect(page.getByTestId('last-backup')).toHaveCount(0);
  await page.evaluate(() => (window.location.hash = '#/settings'));
  const waiting = page.getByTestId('backups-waiting');
  await expect(waiting).toHaveText('Loading backups — waiting for the connection to Stockbook.');
  await page.screenshot({ path: 'test-results/format-connection-lost.png' });

  down = false;
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await expect(waiting).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('last-backup')).toBeVisible();
});
