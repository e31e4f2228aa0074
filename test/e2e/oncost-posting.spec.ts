import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { machineDefaults } from '../../electron/company/company-rules';
import { formatDateTime } from '../../shared/company-format';
import { choose, typeProduct } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/oncost-posting-${name}.png`, fullPage: true });

/*
 * The inputs, in 1/10000 of a pound as the ledger keeps money, and every figure the journal must carry worked out from
 * them by hand — never read from the app. 10 bottles at £10.00 with £3.20 of on-costs per bottle (£32.00 on the
 * delivery); 4 sold; 1 refunded back to stock and 1 credited without a return (seed 004's "return to stock" true and
 * false). Freight and delivery are shared out to the fourth place (£1.4983 + £0.2017), as an invoice spread over a
 * delivery comes out, so the sale's recoveries carry sub-penny amounts the journal keeps and the Posting window must show.
 */
const RECEIVED = 10;
const UNIT_COST = 100_000;
/** Per bottle, by the Receive form's on-cost fields; each recovery account of seed 004 that a despatch credits. */
const ON_COSTS = [
  { field: 'insurance', perUnit: 2_000, code: '2220', name: 'Insurance Recovery' },
  { field: 'freight', perUnit: 14_983, code: '2230', name: 'Freight Recovery' },
  { field: 'excise duty', perUnit: 5_000, code: '2210', name: 'Excise Duty Recovery' },
  { field: 'customs duty', perUnit: 6_000, code: '2200', name: 'Customs Duty Recovery' },
  { field: 'rhd', perUnit: 1_000, code: '2240', name: 'RHD Recovery' },
  { field: 'rent', perUnit: 1_000, code: '2250', name: 'Rent Recovery' },
  { field: 'delivery', perUnit: 2_017, code: '2260', name: 'Warehouse Delivery Recovery' },
] as const;
const SOLD = 4;
const REFUNDED = 1;
const CREDITED = 1;

const ON_COST_PER_UNIT = ON_COSTS.reduce((s, o) => s + o.perUnit, 0); // £3.20
const ON_COSTS_RECEIVED = RECEIVED * ON_COST_PER_UNIT; // £32.00
const RECEIPT_VALUE = RECEIVED * UNIT_COST; // £100.00: Dr Stock, Cr GRN Accrual (on-costs are not posted on a receipt)
const SALE_PRODUCT = SOLD * UNIT_COST; // £40.00: Dr Cost of Sales, Cr Stock
const SALE_ON_COSTS = SOLD * ON_COST_PER_UNIT; // £12.80: Dr Cost of Sales, Cr each recovery its share (freight £5.9932)
const REFUND_VALUE = REFUNDED * (UNIT_COST + ON_COST_PER_UNIT); // £13.20: one Dr Stock, one Cr Cost of Sales
const CREDIT_VALUE = CREDITED * (UNIT_COST + ON_COST_PER_UNIT); // £13.20: one Dr Credit Note Reason, one Cr Cost of Sales

type Account = { code: string; name: string; debit: number; credit: number };
const EXPECTED: Account[] = [
  { code: '1200', name: 'Stock', debit: RECEIPT_VALUE + REFUND_VALUE, credit: SALE_PRODUCT },
  { code: '2100', name: 'GRN Accrual', debit: 0, credit: RECEIPT_VALUE },
  ...ON_COSTS.map((o) => ({ code: o.code, name: o.name, debit: 0, credit: SOLD * o.perUnit })),
  { code: '5000', name: 'Cost of Sales', debit: SALE_PRODUCT + SALE_ON_COSTS, credit: REFUND_VALUE + CREDIT_VALUE },
  { code: '5020', name: 'Credit Note Reason', debit: CREDIT_VALUE, credit: 0 },
].sort((a, b) => a.code.localeCompare(b.code));
const TOTAL_DEBIT = EXPECTED.reduce((s, a) => s + a.debit, 0);
const TOTAL_CREDIT = EXPECTED.reduce((s, a) => s + a.credit, 0);

/**
 * 1/10000 of a pound → "£1,234.5678" at the journal's four places, or "£1,234.57" at two where the amount is whole pence
 * (the company is in pounds; en-GB and en-US write pounds alike).
 */
const gbp = (amount: number, places: 2 | 4 = 4) => {
  if (places === 2 && amount % 100 !== 0) throw new Error(`${amount} is not whole pence`);
  const abs = Math.abs(amount);
  const whole = String(Math.floor(abs / 10_000)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = String(abs % 10_000).padStart(4, '0').slice(0, places);
  return `${amount < 0 ? '-' : ''}£${whole}.${frac}`;
};
/** The form's text for an amount: "1.4983", "0.20". */
const typed = (amount: number) => (amount % 100 === 0 ? (amount / 10_000).toFixed(2) : (amount / 10_000).toFixed(4));

/** The cells of every body row of a table, as shown. */
const bodyCells = (table: Locator) =>
  table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));

/**
 * Waits until the report's tables are in the accessibility tree. While the confirm dialog is open, and for a timer tick
 * after it closes, Fluent's modal (tabster) keeps the rest of the page aria-hidden, so role queries find no table even
 * though the report already shows (CI read an empty totals table that way: a one-movement run finished before the
 * dialog had finished closing). Role queries read once after this see the report as a screen reader does.
 */
async function expectTablesExposed(report: Locator): Promise<void> {
  await expect(report.page().getByRole('dialog')).toHaveCount(0);
  await expect(report.getByRole('table').filter({ hasText: 'Debit' })).toBeVisible();
  await expect(report.getByRole('table').filter({ hasText: 'Movement type' })).toBeVisible();
}

/** An instant (now by default) as the company's wall clock to the second (the company keeps this machine's defaults: no settings were saved). */
function nowInput(at = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: machineDefaults().timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** The hledger journal the first test posts to; the second posts on to it. */
let journal = '';

test('from an empty database: receive with on-costs, sell, refund and credit, post to an hledger journal; report, trial balance and hledger agree to the penny', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  expect([ON_COST_PER_UNIT, ON_COSTS_RECEIVED]).toEqual([32_000, 320_000]); // £3.20 a bottle, £32.00 on the delivery

  // 1. A site, a supplier in the EC, a product group that posts on-costs to cost of sales, and a product in it.
  await page.getByRole('link', { name: 'Set up sites and products' }).click();
  await page.getByTestId('site-new').click();
  await expect(page.getByTestId('site-code')).toBeFocused();
  await page.getByTestId('site-code').fill('SHOP');
  await page.getByTestId('site-name').fill('Wine shop');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('site-row-SHOP')).toContainText('Wine shop');

  await page.getByTestId('nav-suppliers').click();
  await page.getByTestId('supplier-new').click();
  await expect(page.getByTestId('supplier-code')).toBeFocused();
  await page.getByTestId('supplier-code').fill('BORD');
  await page.getByTestId('supplier-country').selectOption('FR');
  await expect(page.getByTestId('supplier-in-ec')).toBeChecked();
  await page.getByTestId('supplier-name').fill('Bordeaux Négociants');
  await page.getByTestId('supplier-name').press('Enter');
  await expect(page.getByTestId('supplier-row-BORD')).toContainText('In the EC');

  await page.getByTestId('nav-products').click();
  await page.getByTestId('product-new').click();
  await expect(page.getByTestId('product-sku')).toBeFocused();
  await page.getByTestId('product-groups-open').click();
  await expect(page.getByTestId('group-code')).toBeFocused();
  await page.getByTestId('group-code').fill('WINE');
  await page.getByTestId('group-name').fill('Wine');
  await page.getByRole('checkbox', { name: 'Post on-costs to cost of sales' }).check();
  await page.getByTestId('group-name').press('Enter');
  await expect(page.getByTestId('group-row-WINE')).toContainText('Yes');
  await page.getByTestId('groups-close').click();
  await expect(page.getByTestId('groups-dialog')).toBeHidden();
  await page.getByTestId('product-sku').fill('CLARET');
  await page.getByTestId('product-name').fill('Claret 2019 75cl');
  await choose(page, 'product-group', 'WINE — Wine');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-added')).toContainText('Added CLARET');
  await page.keyboard.press('Escape');

  // 2. Receive 10 bottles at £10.00 from the supplier, with £3.20 of on-costs per bottle over seven of the fields.
  await page.getByTestId('nav-operations').click();
  await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Wine shop' });
  const supplier = page.getByTestId('supplier-picker');
  await supplier.click();
  await supplier.pressSequentially('bord');
  await page.getByRole('option', { name: /Bordeaux/ }).click();
  await expect(supplier).toHaveValue('Bordeaux Négociants (BORD)');
  await page.getByLabel('Reference', { exact: true }).fill('PO-ONCOST-1');
  await typeProduct(page, 'Line 1 product', 'CLARET');
  await page.getByLabel('Line 1 quantity').fill(String(RECEIVED));
  await page.getByLabel('Line 1 unit cost').fill(typed(UNIT_COST));
  await page.getByRole('button', { name: 'Line 1 on-costs' }).click();
  for (const o of ON_COSTS) await page.getByLabel(`Line 1 ${o.field}`).fill(typed(o.perUnit));
  await expect(page.getByRole('button', { name: 'Line 1 on-costs' })).toHaveText(gbp(ON_COST_PER_UNIT, 2));
  await page.getByRole('button', { name: 'Review' }).click();
  const review = page.getByTestId('review-row');
  await expect(review).toHaveCount(1);
  await expect(review.first()).toContainText(gbp(ON_COST_PER_UNIT, 2));
  await expect(page.getByTestId('op-review')).toContainText(`on-costs in ${gbp(ON_COSTS_RECEIVED, 2)} (carried`);
  await expect(page.getByTestId('review-net')).toHaveText(gbp(RECEIPT_VALUE, 2));
  await shot(page, '01-receive-review');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt PO-ONCOST-1: 1 movement.');

  // 3. Sell 4: the review shows the sale carrying the site's on-costs per bottle.
  await page.getByRole('tab', { name: 'Despatch / sale', exact: true }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Wine shop' });
  await page.getByLabel('Reference', { exact: true }).fill('SO-ONCOST-1');
  await typeProduct(page, 'Line 1 product', 'CLARET');
  await page.getByLabel('Line 1 quantity').fill(String(SOLD));
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(review).toHaveCount(1);
  await expect(review.first()).toContainText(`-${SOLD}`);
  await expect(review.first()).toContainText(gbp(ON_COST_PER_UNIT, 2));
  await expect(page.getByTestId('op-review')).toContainText(`value out ${gbp(SALE_PRODUCT, 2)} · on-costs out ${gbp(SALE_ON_COSTS, 2)} (carried`);
  await shot(page, '02-sale-review');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Despatch SO-ONCOST-1: 1 movement.');

  // 4. Refund 1 of the sale back to stock, then a credit note for 1 more without a return (value only).
  await page.getByRole('tab', { name: 'Refund / credit', exact: true }).click();
  const sale = page.getByTestId('source-doc').filter({ has: page.getByRole('cell', { name: 'SO-ONCOST-1', exact: true }) });
  await sale.click();
  const line = page.getByTestId('reverse-line');
  await expect(line).toHaveCount(1);
  await expect(line.getByTestId('remaining')).toHaveText(String(SOLD));
  await page.getByLabel('Reverse line 1 CLARET').fill(String(REFUNDED));
  await expect(page.getByRole('checkbox', { name: 'Return to stock' })).toBeChecked();
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(review).toHaveCount(1);
  await expect(review.first()).toContainText(`+${REFUNDED}`);
  await expect(page.getByTestId('op-review')).toContainText(`on-costs in ${gbp(REFUNDED * ON_COST_PER_UNIT, 2)} (carried`);
  await shot(page, '03-refund-review');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Refund (no reference): 1 movement.');
  await expect(line.getByTestId('remaining')).toHaveText(String(SOLD - REFUNDED));

  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Sales Order Credit Note' });
  await sale.click();
  await expect(line.getByTestId('remaining')).toHaveText(String(SOLD - REFUNDED));
  await page.getByRole('checkbox', { name: 'Return to stock' }).uncheck();
  await page.getByLabel('Reverse line 1 CLARET').fill(String(CREDITED));
  await page.getByRole('button', { name: 'Review' }).click();
  // The credit shows the sale's on-costs it will fold into its product cost: £10.00 + £3.20.
  await expect(page.getByTestId('op-review')).toContainText('Review: 1 value-only credit line will be written; no stock moves.');
  const credit = page.getByTestId('review-credit');
  await expect(credit).toHaveCount(1);
  expect(await credit.locator('td').allInnerTexts()).toEqual(['CLARET Claret 2019 75cl', String(CREDITED), gbp(UNIT_COST, 2), gbp(ON_COST_PER_UNIT, 2), gbp(CREDITED * UNIT_COST, 2), gbp(CREDITED * ON_COST_PER_UNIT, 2)]);
  await shot(page, '04-credit-review');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Recorded 1 value-only credit line; no stock moved.');

  // 5. Post everything up to now to an hledger journal file, through the Posting window.
  journal = join(mkdtempSync(join(tmpdir(), 'stockbook-oncost-')), 'stock.journal');
  await page.getByTestId('nav-posting').click();
  const typedAt = new Date();
  await page.getByLabel('Post movements up to').fill(nowInput(typedAt));
  await expect(page.getByTestId('posting-preview')).toContainText(/^3 unposted movements up to .* and 1 value-only credit \(from /);
  await expect(page.getByTestId('post-blocked')).toHaveCount(0);
  await page.getByLabel('Finance system').selectOption({ label: 'hledger / ledger journal file' });
  // Post… is off until the journal is named, and says so beside it (it was off without a word).
  await expect(page.getByRole('button', { name: 'Post…' })).toBeDisabled();
  await expect(page.getByTestId('post-blocked')).toHaveText('No journal file is named: type the path of the hledger journal to post to.');
  await page.screenshot({ path: 'test-results/oncost-posting-post-blocked.png' });
  await page.getByLabel('Journal file').fill(journal);
  await expect(page.getByTestId('post-blocked')).toHaveCount(0);
  await page.getByRole('button', { name: 'Post…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm posting' });
  // The cut-off is the time typed, not the field's default (the end of today): a typed value never silently drops.
  await expect(confirm.getByTestId('confirm-to')).toHaveText(formatDateTime(typedAt, machineDefaults()));
  await expect(confirm.getByTestId('confirm-movements')).toContainText('3 unposted');
  await expect(confirm.getByTestId('confirm-movements')).toContainText('1 value-only credit');
  await expect(confirm.getByTestId('confirm-target')).toHaveText(`hledger ${journal}`);
  await confirm.getByRole('button', { name: 'Post 3 movements' }).click();

  // 6. The posting report: per account exactly the hand-worked figures (exact on hover); debits = credits.
  const report = page.getByTestId('posting-report');
  await expect(report).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('balanced')).toHaveText('yes');
  await expect(page.getByTestId('entry-check')).toContainText('agrees');
  // One entry per movement and per value-only credit (receipt, sale, refund, credit note), counted in the file.
  expect(await bodyCells(page.getByTestId('entry-check'))).toEqual([
    ['Last entry id before posting', '0'],
    ['+ entries posted', '4'],
    ['= expected last entry id', '4'],
    ['Last entry id in the finance system', '4 ✓ agrees'],
  ]);
  await expect(page.getByTestId('posting-preview')).toContainText(/^0 unposted movements/);
  await expect(report.locator('dd').filter({ hasText: 'value-only' })).toHaveText('3 + 1 value-only credit');
  // By movement type: the credit note is reported as the Sales Order Credit Note it was recorded as (no movement, one entry).
  await expectTablesExposed(report);
  expect(await bodyCells(report.getByRole('table').filter({ hasText: 'Movement type' }))).toEqual([
    ['Sale', '1', '1'],
    ['Sale Refund', '1', '1'],
    ['Sales Order Credit Note', '0', '1'],
    ['Supplier Order', '1', '1'],
  ]);
  // On screen every amount is in pence, as everywhere else (some hold part of a penny, so the report says it rounds),
  // and each one's exact figure, at the journal's four places, is on hover.
  const accounts = report.getByRole('table').filter({ hasText: 'Debit' });
  const pence = (amount: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(amount / 10_000);
  expect(await bodyCells(accounts)).toEqual([
    ...EXPECTED.map((a) => [a.code, a.name, pence(a.debit), pence(a.credit)]),
    ['Total', pence(TOTAL_DEBIT), pence(TOTAL_CREDIT)],
  ]);
  await expect(report.getByTestId('report-rounded')).toBeVisible();
  expect(await accounts.locator('tbody td[title]').evaluateAll((tds) => tds.map((td) => td.getAttribute('title')))).toEqual(
    [...EXPECTED.flatMap((a) => [a.debit, a.credit]), TOTAL_DEBIT, TOTAL_CREDIT].map((x) => `Exactly ${gbp(x)}`),
  );
  expect(TOTAL_DEBIT).toBe(TOTAL_CREDIT);
  // The despatch credits each recovery with the on-cost share of the bottles sold: £12.80 in all, £3.20 a bottle.
  expect(EXPECTED.filter((a) => ON_COSTS.some((o) => o.code === a.code)).reduce((s, a) => s + a.credit, 0)).toBe(SALE_ON_COSTS);
  await shot(page, '05-posting-report');

  // 7. The trial balance of the journal file: the same debits and credits at the same four places, each account's
  // balance, totals equal.
  // (The Post movements tab stays mounted, hidden, with its own target picker: the visible one is this tab's.)
  // It opens on the journal just posted to (remembered for this ledger), not on the built-in ledger asking again.
  await page.getByRole('tab', { name: 'Trial balance' }).click();
  await expect(page.getByLabel('Finance system').filter({ visible: true })).toHaveValue('hledger');
  await expect(page.getByLabel('Journal file').filter({ visible: true })).toHaveValue(journal);
  const tb = page.getByRole('table', { name: 'Trial balance' });
  const balanceText = (a: Account) => (a.debit >= a.credit ? `${gbp(a.debit - a.credit)} Dr` : `${gbp(a.credit - a.debit)} Cr`);
  await expect(tb.locator('tbody tr')).toHaveCount(EXPECTED.length + 1);
  const shown = await bodyCells(tb);
  expect(shown).toEqual([
    ...EXPECTED.map((a) => [a.code, a.name, gbp(a.debit), gbp(a.credit), balanceText(a)]),
    ['Total', gbp(TOTAL_DEBIT), gbp(TOTAL_CREDIT), 'balanced'],
  ]);
  await shot(page, '06-trial-balance');

  // 8. Real hledger reads the file Stockbook wrote: its balance per account equals the trial balance shown.
  const bal = execFileSync('hledger', ['-f', journal, 'bal', '--flat', '--no-total', '-O', 'csv'], { encoding: 'utf8' });
  // "account","balance" then one quoted row per account, e.g. "2230","-5.9932 GBP" (a thousands comma sits inside the quotes).
  const hledger = new Map([...bal.matchAll(/^"([^"]+)","(-?[\d,]+\.\d{4}) GBP"$/gm)].map((m) => [m[1]!, Number(m[2]!.replace(/[,.]/g, ''))] as const));
  expect(hledger.size).toBe(EXPECTED.length);
  // The Balance column, "£5.9932 Cr" → -59932.
  const shownBalance = new Map(shown.slice(0, -1).map(([code, , , , b]) => [code!, (b!.endsWith(' Cr') ? -1 : 1) * Number(b!.replace(/[£,.]|\s(Dr|Cr)$/g, ''))]));
  expect(hledger).toEqual(shownBalance);
  expect(hledger).toEqual(new Map(EXPECTED.map((a) => [a.code, a.debit - a.credit])));
  expect(readFileSync(journal, 'utf8')).toContain('; stockbook end batch=');
  expect(errors).toEqual([]);
});

test("customs duty paid corrected on the receipt's document view, then posted to Customs Duty Recovery; once posted, the correction is refused naming the batch", async ({ page }) => {
  test.setTimeout(180_000);
  expect(journal).not.toBe('');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  const CUSTOMS = 6_000; // £0.60 a bottle
  const QTY = 2;

  // 1. A supplier outside the EC.
  await page.getByTestId('nav-suppliers').click();
  await page.getByTestId('supplier-new').click();
  await page.getByTestId('supplier-code').fill('NAPA');
  await page.getByTestId('supplier-country').selectOption('US');
  await expect(page.getByTestId('supplier-in-ec')).not.toBeChecked();
  await page.getByTestId('supplier-name').fill('Napa Valley Imports');
  await page.getByTestId('supplier-name').press('Enter');
  await expect(page.getByTestId('supplier-row-NAPA')).toContainText('Outside');

  // 2. Receive 2 bottles from it with customs duty on-costs, the clerk forgetting "Customs duty paid".
  await page.getByTestId('nav-operations').click();
  await page.getByRole('tab', { name: 'Receive' }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Wine shop' });
  const supplier = page.getByTestId('supplier-picker');
  await supplier.click();
  await supplier.pressSequentially('napa');
  await page.getByRole('option', { name: /Napa Valley Imports/ }).click();
  await page.getByLabel('Reference', { exact: true }).fill('PO-CUSTOMS-1');
  await typeProduct(page, 'Line 1 product', 'CLARET');
  await page.getByLabel('Line 1 quantity').fill(String(QTY));
  await page.getByLabel('Line 1 unit cost').fill(typed(UNIT_COST));
  await page.getByRole('button', { name: 'Line 1 on-costs' }).click();
  await page.getByLabel('Line 1 customs duty').fill(typed(CUSTOMS));
  await expect(page.getByRole('checkbox', { name: 'Customs duty paid' })).not.toBeChecked();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt PO-CUSTOMS-1: 1 movement.');

  // 3. Its movements in the Enquiry: the Source opens the receipt, with its customs facts and the box to correct.
  await page.getByTestId('nav-enquiry').click();
  const source = page.getByTestId('mv-source').filter({ hasText: 'Receipt PO-CUSTOMS-1' });
  await expect(source).toHaveCount(1, { timeout: 30_000 });
  await source.click();
  await expect(page.getByTestId('chip-document')).toContainText('Receipt PO-CUSTOMS-1');
  const bar = page.getByTestId('document-customs');
  await expect(bar).toContainText('Receipt PO-CUSTOMS-1');
  const note = bar.getByTestId('document-customs-note');
  await expect(note).toHaveText('Napa Valley Imports is outside the EC: its customs duty on-costs are not posted until Customs duty paid is ticked.');
  const paid = bar.getByRole('checkbox', { name: 'Customs duty paid' });
  await expect(paid).not.toBeChecked();
  await paid.check();
  await expect(note).toHaveText('Napa Valley Imports is outside the EC: its customs duty on-costs are posted to Customs Duty Recovery.');
  await shot(page, '07-customs-corrected');

  // 4. Post it: the receipt's customs duty goes to Customs Duty Recovery (Dr Stock), beside its cost to GRN Accrual.
  await page.getByTestId('nav-posting').click();
  await page.getByRole('tab', { name: 'Post movements' }).click();
  const typedAt = new Date();
  await page.getByLabel('Post movements up to').fill(nowInput(typedAt));
  await expect(page.getByTestId('posting-preview')).toContainText(/^1 unposted movement up to /);
  await page.getByLabel('Finance system').filter({ visible: true }).selectOption({ label: 'hledger / ledger journal file' });
  await page.getByLabel('Journal file').filter({ visible: true }).fill(journal);
  await page.getByRole('button', { name: 'Post…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm posting' });
  await expect(confirm.getByTestId('confirm-to')).toHaveText(formatDateTime(typedAt, machineDefaults()));
  await confirm.getByRole('button', { name: 'Post 1 movement' }).click();
  const report = page.getByTestId('posting-report');
  await expect(report).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('balanced')).toHaveText('yes');
  const cost = QTY * UNIT_COST;
  const customs = QTY * CUSTOMS;
  // The window shows the run's own batch once finished (a batch still running says so and its balance reads "yes so far").
  await expect(report.getByTestId('report-running')).toHaveCount(0);
  await expectTablesExposed(report);
  // Whole pennies only: the report shows the currency's own two decimals (no part of a penny to show exact).
  expect(await bodyCells(report.getByRole('table').filter({ hasText: 'Debit' }))).toEqual([
    ['1200', 'Stock', gbp(cost + customs, 2), gbp(0, 2)],
    ['2100', 'GRN Accrual', gbp(0, 2), gbp(cost, 2)],
    ['2200', 'Customs Duty Recovery', gbp(0, 2), gbp(customs, 2)],
    ['Total', gbp(cost + customs, 2), gbp(cost + customs, 2)],
  ]);
  const batch = /batch (\d+)/i.exec((await report.innerText()))?.[1];
  expect(batch).toBeTruthy();

  // 5. Back on the receipt: posted, so unticking is refused, naming the batch to reverse first; the box stays ticked.
  await page.getByTestId('nav-enquiry').click();
  await expect(page.getByTestId('chip-document')).toContainText('Receipt PO-CUSTOMS-1');
  await expect(note).toContainText(`Posted to finance in batch ${batch}`);
  await paid.click();
  await expect(bar).toContainText('Customs duty paid was not changed.');
  await expect(bar).toContainText(`Receipt PO-CUSTOMS-1 is already posted to finance (batch ${batch}), so its customs duty paid cannot change. Reverse batch ${batch} in the Posting window first`);
  await expect(paid).toBeChecked();
  await shot(page, '08-customs-refused');
  expect(errors).toEqual([]);
});
