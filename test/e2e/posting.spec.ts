import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { machineDefaults } from '../../electron/company/company-rules';
import { formatDateTime } from '../../shared/company-format';
import { fromWallClock } from '../../shared/business-time';

test.describe.configure({ mode: 'serial' });

test('maintain a control account, post up to a date with progress, read the report, history and trial balance', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The window asks in its own dialogs: a native confirm/alert is a defect (and is refused here).
  page.on('dialog', (d) => {
    errors.push(`native dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`/#token=${E2E_TOKEN}`);

  // demo data (from the Current Stock window's empty state)
  const load = page.getByRole('button', { name: 'Load demo data' });
  await expect(load).toBeVisible({ timeout: 30_000 });
  await load.click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 90_000 });

  await page.getByRole('navigation', { name: 'Windows' }).getByRole('link', { name: /Posting/ }).click();

  // Control account maintenance: an unknown code is refused and named; a known one saves.
  await page.getByRole('tab', { name: 'Control accounts' }).click();
  const debit = page.getByLabel('Debit stock_receipt product always');
  await expect(debit).toHaveValue('1200');
  await debit.fill('9999');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('error-bar')).toContainText('Account 9999 is not in the chart being saved, but a rule posts to it: Stock Receipt, product cost, always (debit).');
  await page.screenshot({ path: 'test-results/posting-control-accounts.png' });
  await debit.fill('1200');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Control accounts saved.')).toBeVisible();
  // An edit left on another tab stays, and the tab says it is not saved; Discard goes back to the saved chart.
  const chartCodes = await page.getByRole('table', { name: 'Chart of accounts' }).getByRole('textbox', { name: /^Account code/ }).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  const stockCode = page.getByLabel(`Account code ${chartCodes.indexOf('1200') + 1}`, { exact: true });
  await stockCode.fill('1210');
  await stockCode.blur();
  await expect(debit).toHaveValue('1210');
  await page.getByRole('tab', { name: 'Trial balance' }).click();
  await page.getByTestId('posting-accounts-tab').click();
  await expect(page.getByTestId('posting-accounts-tab')).toHaveText('Control accounts (not saved)');
  await expect(stockCode).toHaveValue('1210');
  await expect(debit).toHaveValue('1210');
  await page.screenshot({ path: 'test-results/posting-control-accounts-unsaved.png' });
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(stockCode).toHaveValue('1200');
  await expect(debit).toHaveValue('1200');
  await expect(page.getByTestId('posting-accounts-tab')).toHaveText('Control accounts');

  // Going to another window with edits not saved asks first: Stay keeps them as they were; the browser's Back asks too,
  // and so does a reload or close (beforeunload); Discard and leave opens the other window, and the saved chart is back.
  const unsaved = () => page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));
  expect(await unsaved()).toBe(false);
  await stockCode.fill('1210');
  await stockCode.blur();
  expect(await unsaved()).toBe(true);
  const nav = page.getByRole('navigation', { name: 'Windows' });
  await nav.getByRole('link', { name: /Enquiry/ }).click();
  const leaving = page.getByRole('dialog', { name: 'Changes not saved' });
  await expect(leaving.getByTestId('leave-unsaved')).toHaveText(
    'The control accounts (chart and posting rules) have changes that are not saved. Stay to keep editing (then Save), or discard them and open Movement Enquiry.',
  );
  await page.screenshot({ path: 'test-results/posting-leave-unsaved.png' });
  await leaving.getByRole('button', { name: 'Stay and keep editing' }).click();
  await expect(leaving).toBeHidden();
  await expect(page).toHaveURL(/#\/posting$/);
  await expect(stockCode).toHaveValue('1210');
  await expect(debit).toHaveValue('1210');
  await page.goBack();
  await expect(leaving).toBeVisible();
  await leaving.getByRole('button', { name: 'Stay and keep editing' }).click();
  await expect(stockCode).toHaveValue('1210');
  await nav.getByRole('link', { name: /Enquiry/ }).click();
  await leaving.getByRole('button', { name: 'Discard and leave' }).click();
  await expect(page).toHaveURL(/#\/enquiry$/);
  expect(await unsaved()).toBe(false);
  await nav.getByRole('link', { name: /Posting/ }).click();
  await page.getByRole('tab', { name: 'Control accounts' }).click();
  await expect(stockCode).toHaveValue('1200');
  await expect(debit).toHaveValue('1200');

  // Post up to a date: progress, then the report with debits = credits and the entry-id check.
  await page.getByRole('tab', { name: 'Post movements' }).click();
  await page.getByLabel('Post movements up to').fill('2099-12-31T23:59');
  await expect(page.getByTestId('posting-preview')).toContainText(/[\d,]+ unposted movements/);
  const waiting = (await page.getByTestId('posting-preview').textContent())!.match(/^([\d,]+) unposted movements/)![1]!;

  // Post… only asks: the dialog states how many, up to when, where, detailed or summarised; Cancel posts nothing.
  await page.getByRole('button', { name: 'Post…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm posting' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('confirm-movements')).toContainText(`${waiting} unposted`);
  // Up to the chosen minute in the company's time zone (this machine's defaults: no settings were saved), written in its locale.
  await expect(confirm.getByTestId('confirm-to')).toHaveText(formatDateTime(fromWallClock('2099-12-31T23:59', machineDefaults().timeZone), machineDefaults()));
  await expect(confirm.getByTestId('confirm-target')).toHaveText('Built-in general ledger');
  await expect(confirm.getByTestId('confirm-mode')).toHaveText('Detailed: one entry per movement');
  await expect(confirm.getByRole('button', { name: `Post ${waiting} movements` })).toBeEnabled();
  await page.screenshot({ path: 'test-results/posting-confirm.png' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId('posting-progress')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Batches & reports' }).click();
  await expect(page.getByRole('table', { name: 'Posting batches' })).toContainText('No batches yet');
  await page.getByRole('tab', { name: 'Post movements' }).click();
  await page.getByLabel('Post movements up to').fill('2099-12-31T23:59');
  await expect(page.getByTestId('posting-preview')).toContainText(`${waiting} unposted movements`);

  // Summarised is stated too; then only "Post N movements" starts the run.
  await page.getByRole('switch', { name: /Summarised/ }).check();
  await page.getByRole('button', { name: 'Post…' }).click();
  await expect(confirm.getByTestId('confirm-mode')).toHaveText('Summarised: one line per account per day per movement type');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('switch', { name: /Summarised/ }).uncheck();
  await page.getByRole('button', { name: 'Post…' }).click();
  await confirm.getByRole('button', { name: `Post ${waiting} movements` }).click();
  await expect(page.getByTestId('posting-progress')).toBeVisible();
  const report = page.getByTestId('posting-report');
  await expect(report).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('balanced')).toHaveText('yes');
  await expect(page.getByTestId('entry-check')).toContainText('agrees');
  // The demo's unit costs hold parts of a penny: the amounts are shown in the currency's decimals, as in the batch
  // history and trial balance, and the report says they are rounded (exact in the journal).
  await expect(page.getByTestId('report-rounded')).toHaveText(/Rounded to the penny; exact in the journal/);
  for (const text of await report.getByRole('table').last().locator('td[class]').allInnerTexts()) {
    if (/\d/.test(text)) expect(text).not.toMatch(/[.,]\d{3,}$/);
  }
  // The production note's balance too: in pounds and pence (or "less than £0.01"), never the journal's 4 decimals or another currency.
  await expect(page.getByTestId('report-message')).not.toContainText('GBP');
  expect(await page.getByTestId('report-message').innerText()).not.toMatch(/\.\d{3,}/);
  await expect(page.getByTestId('posting-preview')).toContainText(/^0 unposted movements/);
  await page.screenshot({ path: 'test-results/posting-report.png' });

  // Batch history and trial balance.
  await page.getByRole('tab', { name: 'Batches & reports' }).click();
  const batches = page.getByRole('table', { name: 'Posting batches' });
  await expect(batches.getByRole('row')).toHaveCount(2);
  await expect(batches).toContainText('posted');
  await page.getByRole('tab', { name: 'Trial balance' }).click();
  await expect(page.getByRole('table', { name: 'Trial balance' })).toContainText('balanced');
  await page.screenshot({ path: 'test-results/posting-trial-balance.png' });

  // Reverse the batch from its history. The dialog says in plain words what will happen; "Keep it" changes nothing.
  await page.getByRole('tab', { name: 'Batches & reports' }).click();
  await batches.getByRole('row').nth(1).getByRole('button', { name: 'Reverse…' }).click();
  const asking = page.getByRole('dialog', { name: 'Confirm reversal' });
  await expect(asking.getByRole('heading', { name: 'Reverse batch 1?' })).toBeVisible();
  await expect(asking.getByTestId('reversal-batch')).toContainText(`${waiting} movements that occurred up to`);
  await expect(asking.getByTestId('reversal-journal')).toContainText(/entries \([\d,]+ lines\), total debit £[\d,]+\.\d\d$/);
  await expect(asking.getByTestId('reversal-effect')).toContainText('A new batch is posted today');
  await expect(asking.getByTestId('reversal-effect')).toContainText('Batch 1 stays as it is: nothing is deleted.');
  await expect(asking.getByTestId('reversal-movements')).toHaveText(`Its ${waiting} movements become unposted: the next posting run posts them again.`);
  await expect(asking).not.toContainText('mirror');
  await page.screenshot({ path: 'test-results/posting-reverse-dialog.png' });
  await asking.getByRole('button', { name: 'Keep it' }).click();
  await expect(asking).toHaveCount(0);
  await expect(batches.getByRole('row')).toHaveCount(2);
  // Confirmed: the window asks it as a job; the new batch is listed, the first says who reversed it, its report shows
  // balanced, and the movements are postable again.
  await batches.getByRole('row').nth(1).getByRole('button', { name: 'Reverse…' }).click();
  await asking.getByRole('button', { name: 'Reverse batch 1' }).click();
  await expect(batches.getByRole('row')).toHaveCount(3, { timeout: 90_000 });
  // Each batch's badge says what became of it: the first is no longer just "posted".
  await expect(batches.getByRole('row').nth(1)).toContainText('reversal of 1');
  await expect(batches.getByRole('row').nth(2)).toContainText('reversed (by batch 2)');
  await expect(batches.getByRole('row').nth(2)).not.toContainText(/\bposted\b/);
  await expect(page.getByTestId('reversal-progress')).toHaveCount(0);
  await expect(batches.getByRole('button', { name: 'Reverse…' })).toHaveCount(0);
  const reversal = page.getByRole('region', { name: 'Posting report of batch 2' });
  await expect(reversal.getByTestId('balanced')).toHaveText('yes');
  // Its note says what was posted in the user's words, as the dialog did.
  await expect(reversal).toContainText(/Reversed batch 1: [\d,]+ entries posted with the opposite amounts, each dated as the entry it cancels; its movements can be posted again\./);
  await expect(reversal).not.toContainText('mirror');
  await page.screenshot({ path: 'test-results/posting-reversed.png' });
  // The Post tab's count is read again (it said 0 until the date was changed).
  await page.getByRole('tab', { name: 'Post movements' }).click();
  await expect(page.getByTestId('posting-preview')).toContainText(`${waiting} unposted movements`);
  expect(errors).toEqual([]);
});
