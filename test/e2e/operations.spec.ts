import { expect, test, type Page } from '@playwright/test';
import { e2ePort, E2E_TOKEN } from '../../playwright.config';
import { contractCall } from './contract-call';

test.describe.configure({ mode: 'serial' });

async function pickProduct(page: Page, label: string, hasText: string): Promise<string> {
  await page.getByRole('combobox', { name: label }).click();
  const option = page.getByRole('option').filter({ hasText }).first();
  await expect(option).toBeVisible({ timeout: 15_000 });
  const text = await option.innerText();
  // hasText ignores case: the option itself must read the tracking as a word (Bulk, Lot), as Products does, never the code.
  expect(text).toContain(hasText);
  await option.click();
  return text.split(' — ')[0]!.trim();
}

/** Calls the contract over this spec's browser-mode session (contract-call.ts). */
const call = <T>(method: string, input: unknown): Promise<T> => contractCall<T>(e2ePort('operations'), method, input);

async function openOperations(page: Page): Promise<void> {
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
}

async function typeProduct(page: Page, label: string, sku: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(sku);
  await expect(box).toHaveValue(sku);
  // Wait for the search of the whole SKU (its exact match comes first) before clicking: a click while an earlier
  // list is still shown could land on another product when the new list replaces it under the pointer.
  const first = page.getByRole('listbox').getByRole('option').first();
  await expect(first).toContainText(`${sku} — `);
  await first.click();
  await expect(box).toHaveValue(sku);
}

test('receive, despatch, and an adjustment draft that survives a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('button', { name: 'Load demo data' }).click({ timeout: 30_000 });
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 90_000 });

  await openOperations(page);

  // A Supplier Order (the first type) with no supplier picked is warned about; another type has no warning.
  await expect(page.getByLabel('Type', { exact: true })).toHaveValue('supplier_order');
  await expect(page.getByTestId('op-no-supplier')).toContainText('No supplier picked. A Supplier Order is stock delivered by a supplier: pick the supplier above');
  await page.screenshot({ path: 'test-results/operations-no-supplier.png' });
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Stock Receipt' });
  await expect(page.getByTestId('op-no-supplier')).toHaveCount(0);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Supplier Order' });

  // Receive a bulk product with a declared cost and freight.
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  await page.getByLabel('Line 1 quantity').fill('5');
  await page.getByLabel('Line 1 unit cost').fill('2.50');
  await page.getByRole('button', { name: 'Line 1 on-costs' }).click();
  await page.getByLabel('Line 1 freight').fill('0.10');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt (no reference): 1 movement.');

  // Despatch part of it.
  await page.getByRole('tab', { name: 'Despatch / sale' }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('2');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Despatch (no reference): ');

  // An adjustment draft: start, add a line, reload, resume, post.
  await page.getByRole('tab', { name: 'Adjustments' }).click();
  await page.getByLabel('New adjustment name').fill('E2E shrinkage');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  // Untouched, the Date means the moment the draft starts (the ledger's clock): after the receipt above, not before it.
  await expect(page.getByTestId('effective-now')).toHaveText('· now, when started');
  await page.getByRole('button', { name: 'Start draft' }).click();
  await typeProduct(page, 'New draft line product', sku);
  // A quantity the product cannot hold is refused saying why (it read "Not saved. [object Object]": the Swiss walk).
  await page.getByLabel('New draft line quantity').fill('-1.5555');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const refusal = page.getByTestId('error-bar');
  await expect(refusal).toContainText('Quantity: "-1.5555" has more than 3 decimal places');
  await expect(refusal).not.toContainText('[object');
  await expect(page.getByTestId('draft-line')).toHaveCount(0);
  await page.getByLabel('New draft line quantity').fill('-1');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('draft-line')).toHaveCount(1);
  // Seed 004's duty-paid stock: the box is saved with the draft at once.
  await page.getByRole('checkbox', { name: 'Duty paid' }).check();
  await expect(page.getByText(/^Posted as Stock Adjustment \(In\/Out\)/)).toBeVisible();
  // A fresh page load (the token lives only in the URL fragment, so load it again the same way).
  await page.goto('about:blank');
  await page.goto(`/#token=${E2E_TOKEN}`);
  await openOperations(page);
  await page.getByRole('tab', { name: 'Adjustments' }).click();
  const draftRow = page.getByTestId('draft-row').filter({ hasText: 'E2E shrinkage' });
  await expect(draftRow).toContainText('1');
  await draftRow.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('draft-line')).toHaveCount(1);
  await expect(page.getByRole('checkbox', { name: 'Duty paid' })).toBeChecked();
  await page.screenshot({ path: 'test-results/operations-adjustments.png' });
  // Review first, as every other Operations form: the movement it will write, what the site holds before → after, the
  // value; Esc goes back to edit (nothing posted), and Post posts what was reviewed.
  await expect(page.getByRole('button', { name: 'Post adjustment' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Review adjustment' }).click();
  const review = page.getByTestId('op-review');
  await expect(review.getByTestId('review-row')).toHaveCount(1);
  await expect(review.getByTestId('review-row')).toContainText('Stock Adjustment (Out)');
  await expect(review.getByTestId('review-row')).toContainText(sku);
  await expect(review.getByTestId('review-on-hand-site')).toHaveText('3.000 → 2.000'); // 5 received, 2 despatched, 1 out
  await page.screenshot({ path: 'test-results/operations-adjustment-review.png', fullPage: true });
  await page.keyboard.press('Escape');
  await expect(review).toHaveCount(0);
  await expect(page.getByTestId('op-result')).toHaveCount(0);
  await expect(page.getByTestId('draft-row').filter({ hasText: 'E2E shrinkage' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Review adjustment' }).click();
  await review.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted "E2E shrinkage" as an adjustment: 1 movement, duty paid.');
  await expect(page.getByTestId('history-row').first()).toContainText('E2E shrinkage');
  await expect(page.getByTestId('history-row').first()).toContainText(`${sku} -1`);
  expect(errors).toEqual([]);
});

/** On hand of `sku` per site name, as Current Stock shows it after searching by the SKU. */
async function stockBySite(page: Page, sku: string): Promise<Record<string, number>> {
  await page.getByRole('link', { name: /^Stock/ }).first().click();
  const filter = page.getByLabel('Filter by SKU or name');
  await filter.fill('');
  await filter.fill(sku);
  const rows = page.getByTestId('stock-row');
  // Wait until the table shows this SKU only (the unfiltered list may still be on screen for a moment).
  await expect(rows.first().getByTestId('stock-sku')).toHaveText(sku, { timeout: 15_000 });
  await expect(rows.filter({ hasNot: page.getByTestId('stock-sku').getByText(sku, { exact: true }) })).toHaveCount(0, { timeout: 15_000 });
  const out: Record<string, number> = {};
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    if ((await row.getByTestId('stock-sku').innerText()).trim() !== sku) continue;
    const site = (await row.getByTestId('stock-site').innerText()).trim();
    const qty = Number(/-?[\d,]+(\.\d+)?/.exec(await row.getByTestId('stock-on-hand').innerText())![0].replace(/,/g, ''));
    out[site] = (out[site] ?? 0) + qty;
  }
  return out;
}

async function expectStock(page: Page, sku: string, site: string, expected: number): Promise<void> {
  await expect.poll(async () => (await stockBySite(page, sku))[site] ?? 0, { timeout: 20_000, message: `${sku} at ${site}` }).toBe(expected);
}

/** Back on a form left with a product picked: the draft it kept (form-draft.ts) is thrown away, for a fresh document. */
async function startAfresh(page: Page): Promise<void> {
  const kept = page.getByRole('group', { name: 'Unsaved document restored' });
  await kept.getByRole('button', { name: 'Start afresh' }).click();
  await expect(kept).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Line 1 product' })).toHaveValue('');
}

async function ensureDemo(page: Page): Promise<void> {
  await page.goto(`/#token=${E2E_TOKEN}`);
  const load = page.getByRole('button', { name: 'Load demo data' });
  const rows = page.getByTestId('stock-row');
  await expect(load.or(rows.first())).toBeVisible({ timeout: 30_000 });
  if (await load.isVisible()) await load.click();
  await expect(rows.first()).toBeVisible({ timeout: 90_000 });
}

async function tab(page: Page, name: string): Promise<void> {
  await openOperations(page);
  await page.getByRole('tab', { name, exact: true }).click();
}

async function reviewAndPost(page: Page, shot: string): Promise<void> {
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review')).toBeVisible();
  await page.screenshot({ path: `test-results/${shot}.png`, fullPage: true });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText(/Posted [A-Z][^:]*: \d+ movements?\.|value-only/);
}

test('LOT receipt with on-costs, FEFO despatch, recipe sale, reversal and transfer, each checked in Current Stock', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);

  // 1. Receive a lot-tracked product: two batches (one with the earliest expiry of all), all nine on-costs, duty paid.
  await tab(page, 'Receive');
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Lot');
  const site = 'Bonded Cellar';
  const before = (await stockBySite(page, sku))[site] ?? 0;
  await tab(page, 'Receive');
  await startAfresh(page);
  await page.getByLabel('Site', { exact: true }).selectOption({ label: site });
  await page.getByLabel('Reference', { exact: true }).fill('E2E-PO-1');
  // Supplier left empty: the demo ledger has no suppliers, and the picker only takes one that exists.
  await page.getByRole('checkbox', { name: 'Duty paid', exact: true }).check();
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('10');
  await page.getByLabel('Line 1 batch').fill('E2E-EARLY');
  await page.getByLabel('Line 1 expiry').fill('2000-01-31');
  // Already expired on the receipt's day: the line says so, in the company's date format.
  await expect(page.getByLabel('Line 1 expired')).toContainText(/^Expired (31\/01|01\/31)\/2000, before this receipt's day \d\d\/\d\d\/\d{4}\. Posting asks you to confirm it\.$/);
  await page.getByLabel('Line 1 unit cost').fill('8.00');
  await page.getByRole('button', { name: 'Line 1 on-costs' }).click();
  const onCosts = { insurance: '0.05', freight: '0.10', 'excise duty': '2.23', 'customs duty': '0.40', rhd: '0.01', rent: '0.02', delivery: '0.03', labour: '0.04', overhead: '0.06' };
  for (const [k, v] of Object.entries(onCosts)) await page.getByLabel(`Line 1 ${k}`).fill(v);
  await page.getByRole('button', { name: 'Add line' }).click();
  await typeProduct(page, 'Line 2 product', sku);
  await page.getByLabel('Line 2 quantity').fill('5');
  await page.getByLabel('Line 2 batch').fill('E2E-LATE');
  // An expiry that is not a date: review refuses naming the line's field — never the line without (or with an old) expiry.
  await page.getByLabel('Line 2 expiry').fill('31/31/2099');
  await page.getByLabel('Line 2 unit cost').fill('8.00');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('error-bar')).toContainText("Line 2 expiry: what is typed is not a date. Type one as the field's hint shows");
  await expect(page.getByLabel('Line 2 expiry')).toHaveValue('31/31/2099');
  await expect(page.getByLabel('Line 2 expiry')).toBeFocused();
  await page.screenshot({ path: 'test-results/operations-expiry-refused.png', fullPage: true });
  const review = page.getByTestId('review-row');
  await expect(review).toHaveCount(0);
  await page.getByLabel('Line 2 expiry').fill('2099-12-31');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(review).toHaveCount(2);
  // Exactly the expiries typed.
  await expect(review.first()).toContainText(/31.01.2000|01.31.2000|2000.01.31/);
  await expect(review.nth(1)).toContainText(/31.12.2099|12.31.2099|2099.12.31/);
  await expect(review.first()).toContainText('E2E-EARLY');
  await expect(review.first()).toContainText('£2.94'); // on-costs per unit
  await expect(page.getByTestId('review-net')).toHaveText('£120.00');
  await expect(page.getByTestId('op-review')).toContainText(/Line 1: batch E2E-EARLY of \S+ expired (31\/01|01\/31)\/2000, before this receipt's day .*posting asks you to confirm it\./);
  await expect(page.getByTestId('line-expired')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/operations-receive-review.png', fullPage: true });
  // Posting asks first; Back posts nothing, and the review stays to post from.
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const expiredDialog = page.getByRole('dialog', { name: 'Receive expired stock?' });
  await expect(expiredDialog.getByTestId('expired-lots')).toHaveText(/^Line 1: batch E2E-EARLY of \S+, expired (31\/01|01\/31)\/2000 \(receipt's day \d\d\/\d\d\/\d{4}\)$/);
  await page.screenshot({ path: 'test-results/operations-receive-expired-confirm.png', fullPage: true });
  await expiredDialog.getByRole('button', { name: 'Back' }).click();
  await expect(expiredDialog).toBeHidden();
  await expect(page.getByTestId('op-result')).toHaveCount(0);
  await expect(review).toHaveCount(2);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expiredDialog.getByRole('button', { name: 'Receive expired stock' }).click();
  await expect(page.getByTestId('op-result')).toContainText('2 movements.');
  await expectStock(page, sku, site, before + 15);

  // 2. E2E-EARLY expired in 2000: first-expiry-first never takes it by itself. Everything at the site, unnamed, is short
  // by at least those 10, and the refusal says it left them out. Named on a line, it is taken: 10 of E2E-EARLY, then 2
  // more first-expiry-first.
  await tab(page, 'Despatch / sale');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: site });
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill(String(before + 15));
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('error-bar')).toContainText(/Not taken: .*batch E2E-EARLY \(10\), expired (31\/01|01\/31)\/2000/);
  await page.screenshot({ path: 'test-results/operations-despatch-expired-left.png', fullPage: true });
  await page.getByLabel('Line 1 quantity').fill('10');
  await page.getByLabel('Line 1 batch').fill('E2E-EARLY');
  await page.getByRole('button', { name: 'Add line' }).click();
  await typeProduct(page, 'Line 2 product', sku);
  await page.getByLabel('Line 2 quantity').fill('2');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(review.first()).toContainText('E2E-EARLY');
  await expect(review.first()).toContainText('-10');
  await expect(review.filter({ hasText: 'E2E-EARLY' })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/operations-despatch-review.png', fullPage: true });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Despatch (no reference): ');
  await expectStock(page, sku, site, before + 3);

  // 3. Sell a recipe at the bar: only its components move (try recipes until one has its components in stock).
  await tab(page, 'Despatch / sale');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'The Cellar Bar' });
  let component: { sku: string; qty: number; before: number } | null = null;
  for (let i = 0; i < 12 && !component; i++) {
    const box = page.getByRole('combobox', { name: 'Line 1 product' });
    await box.click();
    await box.fill('');
    await box.pressSequentially('MNU-');
    await expect(box).toHaveValue('MNU-');
    const options = page.getByRole('listbox').getByRole('option');
    await expect(options.first()).toContainText('MNU-');
    const option = options.filter({ hasText: 'Recipe ·' }).nth(i);
    await option.click();
    await page.getByLabel('Line 1 quantity').fill('1');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByTestId('op-review').or(page.getByTestId('error-bar'))).toBeVisible();
    if (await page.getByTestId('op-review').isVisible()) {
      const first = review.first();
      const cells = await first.locator('td').allInnerTexts();
      const compSku = cells[2]!.split(/\s/)[0]!;
      const all = await review.all();
      let qty = 0;
      for (const r of all) {
        const c = await r.locator('td').allInnerTexts();
        if (c[2]!.startsWith(`${compSku} `)) qty += Number(/-?[\d,.]+/.exec(c[7]!)![0].replace(/,/g, ''));
      }
      component = { sku: compSku, qty, before: Number(cells[13]!.split('→')[0]!.replace(/,/g, '').trim()) }; // the site column reads 'before → after'
      expect(cells[1]).toMatch(/sale/i);
      // The recipe line sold shows over its components: its code and the quantity typed.
      await expect(page.getByTestId('review-kit')).toHaveText(/^Line 1: kitMNU-\S+ .*movements? of its components below1(\.0+)? \S+$/);
    }
  }
  expect(component).not.toBeNull();
  await page.screenshot({ path: 'test-results/operations-recipe-review.png', fullPage: true });
  // Too many of it: the refusal names the form's line, the recipe and its short component (never an exploded line).
  await page.getByLabel('Line 1 quantity').fill('100000');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('error-bar')).toContainText(/Line 1 \(MNU-[^)]*\): not enough of component \S+ ".*" at The Cellar Bar: available [\d,.]+, this takes [\d,.]+, short by/);
  await page.screenshot({ path: 'test-results/operations-recipe-short.png', fullPage: true });
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review')).toBeVisible();
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Despatch (no reference): ');
  await expectStock(page, component!.sku, 'The Cellar Bar', Math.round((component!.before + component!.qty) * 1000) / 1000);

  // 4. Reverse 1 of the E2E-LATE line of the receipt (supplier credit): what is left shows, never more.
  await tab(page, 'Receipt reversal');
  await page.getByTestId('source-doc').filter({ hasText: 'E2E-PO-1' }).first().click();
  const late = page.getByTestId('reverse-line').filter({ hasText: 'E2E-LATE' });
  await expect(late.getByTestId('remaining')).toHaveText('5');
  await late.getByRole('textbox').fill('1');
  await page.getByLabel('Supplier credit / return no.').fill('E2E-CR-1');
  await reviewAndPost(page, 'operations-reversal-review');
  await expect(late.getByTestId('remaining')).toHaveText('4');
  await expectStock(page, sku, site, before + 2);

  // A Stock Receipt is listed whatever Type is chosen; opened by its number with Supplier Credit chosen, Type becomes
  // PO Stock Return and says so.
  await tab(page, 'Receipt reversal');
  const type = page.getByLabel('Type', { exact: true });
  await expect(type).toHaveValue('supplier_credit');
  const stockReceipt = page.getByTestId('source-doc').filter({ has: page.getByRole('cell', { name: 'Stock Receipt', exact: true }) }).first();
  const docNo = (await stockReceipt.locator('td').first().textContent())!;
  await page.getByLabel('Find receipt (no. or reference)').fill(docNo);
  await page.getByLabel('Find receipt (no. or reference)').press('Enter');
  await expect(type).toHaveValue('po_stock_return');
  // Said in a warning bar, not a small grey line: which type was chosen, and why.
  await expect(page.getByTestId('type-chosen')).toHaveText(
    `Type changed from Supplier Credit to PO Stock Return: document ${docNo} is a Stock Receipt, which a PO Stock Return undoes; a Supplier Credit undoes only a Supplier Order or a Cash Purchase.`,
  );
  await expect(page.getByTestId('type-chosen')).toHaveClass(/fui-MessageBar/);
  await page.screenshot({ path: 'test-results/operations-reversal-type-chosen.png' });
  await expect(page.getByTestId('reverse-line').first()).toBeVisible();
  // Type changed by hand to one that reverses none of its lines: it says which type can, never an empty list of lines.
  await type.selectOption({ label: 'Supplier Credit' });
  await expect(page.getByTestId('type-chosen')).toHaveCount(0);
  await expect(page.getByTestId('no-reversible-lines')).toHaveText(`A supplier credit reverses none of document ${docNo}'s lines (Stock Receipt). Choose PO Stock Return in Type.`);
  await expect(page.getByRole('button', { name: 'Review' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/operations-reversal-wrong-type.png' });
  await type.selectOption({ label: 'PO Stock Return' });
  await expect(page.getByTestId('reverse-line').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review' })).toBeVisible();

  // 5. Transfer 2 to the Kitchen: out at the dispatching site, in at the receiving site.
  const kitchenBefore = (await stockBySite(page, sku))['Kitchen'] ?? 0;
  await tab(page, 'Transfer');
  // The receiving site is never guessed (it opened as 'External', a pseudo-site): the clerk picks it; External comes last.
  const toSite = page.getByLabel('To site');
  await expect(toSite).toHaveValue('');
  await expect(toSite.locator('option:checked')).toHaveText('Pick the receiving site');
  await expect(toSite.locator('option').last()).toHaveText('External');
  // Nor is the sending site (the first site by name may hold none of the stock): review names the field and focuses it.
  const fromSite = page.getByLabel('From site');
  await expect(fromSite).toHaveValue('');
  await expect(fromSite.locator('option:checked')).toHaveText('Pick the sending site');
  await page.screenshot({ path: 'test-results/operations-transfer-new.png' });
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('2');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('error-bar')).toContainText('From site: no sending site is picked. Pick the site the stock leaves from.');
  await expect(fromSite).toBeFocused();
  await page.screenshot({ path: 'test-results/operations-transfer-no-from.png' });
  await fromSite.selectOption({ label: site });
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('error-bar')).toContainText("To site: no receiving site is picked. Pick the site the stock goes to ('External' for stock leaving your sites).");
  await expect(toSite).toBeFocused();
  await toSite.selectOption({ label: 'Kitchen' });
  await reviewAndPost(page, 'operations-transfer-review');
  // The next transfer starts from the site the clerk last sent from.
  await expect(fromSite.locator('option:checked')).toHaveText(site);
  await expectStock(page, sku, site, before);
  await expectStock(page, sku, 'Kitchen', kitchenBefore + 2);

  // 6. Wastage of one at the Kitchen: the confirmation names the movement type chosen, as the posting report and movement list do
  // (it said "Posted Write-off").
  await tab(page, 'Wastage / clear');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Kitchen' });
  await expect(page.getByLabel('Type', { exact: true }).locator('option:checked')).toHaveText('Wastage');
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('1');
  // The reason is never preselected: review without one is refused saying to pick it.
  const reason = page.getByLabel('Reason', { exact: true });
  await expect(reason).toHaveValue('');
  await expect(reason.locator('option:checked')).toHaveText('Pick the reason');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('error-bar')).toContainText('Reason: no reason is picked. Pick why the stock was lost or cleared');
  await expect(page.getByTestId('op-review')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/operations-wastage-no-reason.png' });
  await reason.selectOption('damaged');
  await reviewAndPost(page, 'operations-wastage-review');
  await expect(page.getByTestId('op-result')).toContainText(/^Posted Wastage .*: 1 movement\./);
  await page.screenshot({ path: 'test-results/operations-wastage-posted.png' });
  await page.getByRole('tab', { name: 'Production', exact: true }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: site });

  // Screenshots of the remaining forms, empty, for a look.
  await openOperations(page);
  for (const [name, file] of [
    ['Refund / credit', 'refund'],
    ['Internal transfer', 'internal'],
    ['Returns inbound', 'inbound'],
    ['Production', 'production'],
    ['Wastage / clear', 'writeoff'],
    ['Period variance', 'variance'],
    ['Import', 'import'],
  ] as const) {
    await page.getByRole('tab', { name, exact: true }).click();
    await page.screenshot({ path: `test-results/operations-form-${file}.png` });
  }
  // Production counts what will post (the output and the components its recipe consumes), or says what is missing;
  // it said "0 lines" with the output filled in.
  await page.getByRole('tab', { name: 'Production', exact: true }).click();
  const count = page.getByTestId('op-lines-count');
  await expect(count).toHaveText('Pick the output product');
  await typeProduct(page, 'Output product', 'GIF-00001'); // the demo's first Made product (a hamper; the demo gives it no recipe)
  await expect(count).toHaveText('1 output (enter the quantity made); GIF-00001 has no recipe: untick "Consume by recipe" and list the components');
  await page.getByLabel('Output quantity').fill('2');
  await page.getByRole('checkbox', { name: 'Consume by recipe' }).uncheck();
  await expect(count).toHaveText('1 output; add the components consumed');
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('1');
  await expect(count).toHaveText('1 output + 1 component consumed');
  await page.screenshot({ path: 'test-results/operations-production-count.png' });
  // Cleared, the output box is empty: it kept the SKU it showed (after a post, or Start afresh), so the form said "Pick
  // the output product" beside it and the next SKU typed went after it ("GIF-00001GIF-00002").
  await tab(page, 'Receive');
  await page.getByRole('tab', { name: 'Production', exact: true }).click();
  // (by recipe again, afresh: no component lines, so not startAfresh's check of line 1)
  await page.getByRole('group', { name: 'Unsaved document restored' }).getByRole('button', { name: 'Start afresh' }).click();
  await expect(page.getByRole('combobox', { name: 'Output product' })).toHaveValue('');
  await expect(count).toHaveText('Pick the output product');
  expect(errors).toEqual([]);
});

/** A bulk product of the demo and its stock at a site, with the Receive form then started afresh (picking it left a draft). */
async function bulkProductOnFreshReceive(page: Page, site: string): Promise<{ sku: string; before: number }> {
  await tab(page, 'Receive');
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  const before = (await stockBySite(page, sku))[site] ?? 0;
  await tab(page, 'Receive');
  await startAfresh(page);
  return { sku, before };
}

test('a mistaken Stock Receipt is found by its reference with the default reversal type, which becomes PO Stock Return, and reversed', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  // The mistaken receipt: a Stock Receipt of 3 at Central Warehouse, on a fresh Receive form.
  const { sku, before } = await bulkProductOnFreshReceive(page, 'Central Warehouse');
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Stock Receipt' });
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await page.getByLabel('Reference', { exact: true }).fill('E2E-SR-MISTAKE');
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('3');
  await page.getByLabel('Line 1 unit cost').fill('1.00');
  await reviewAndPost(page, 'operations-stock-receipt-mistake');
  await expectStock(page, sku, 'Central Warehouse', before + 3);

  // Receipt reversal opens on Supplier Credit, which cannot reverse a Stock Receipt: the receipt is listed all the same.
  await tab(page, 'Receipt reversal');
  const type = page.getByLabel('Type', { exact: true });
  await expect(type).toHaveValue('supplier_credit');
  await expect(page.getByTestId('source-doc').filter({ hasText: 'E2E-SR-MISTAKE' })).toHaveCount(1);
  // Typing part of the reference narrows the list to it; Enter opens it and chooses the type that reverses it.
  const find = page.getByLabel('Find receipt (no. or reference)');
  await find.fill('sr-mistake');
  await expect(page.getByTestId('source-doc')).toHaveCount(1);
  await find.press('Enter');
  await expect(type).toHaveValue('po_stock_return');
  await expect(page.getByTestId('type-chosen')).toContainText('Type changed from Supplier Credit to PO Stock Return: document ');
  const line = page.getByTestId('reverse-line');
  await expect(line).toHaveCount(1);
  await expect(line.getByTestId('remaining')).toHaveText(/^3(\.0+)?$/);
  await page.screenshot({ path: 'test-results/operations-reversal-found.png', fullPage: true });
  await page.getByRole('button', { name: 'Reverse all that is left' }).click();
  await reviewAndPost(page, 'operations-reversal-found-review');
  await expect(line.getByTestId('remaining')).toHaveText(/^0(\.0+)?$/);
  // Text matching no receipt says so and how to open an older one.
  await find.fill('no such receipt');
  await expect(page.getByRole('table', { name: 'Receipts' })).toContainText('No receipt numbered or referenced “no such receipt” among the latest');
  await expectStock(page, sku, 'Central Warehouse', before);
  expect(errors).toEqual([]);
});

test('a receipt never posts to a site the clerk did not choose: it opens unpicked, is refused without one, then opens on the site last received at', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  // The demo has four sites; the first by name (Bonded Cellar) is not guessed.
  await tab(page, 'Receive');
  const siteField = page.getByLabel('Site', { exact: true });
  await expect(siteField).toHaveValue('');
  await expect(siteField.locator('option:checked')).toHaveText('Pick the receiving site');
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  const before = (await stockBySite(page, sku))['Central Warehouse'] ?? 0;
  await tab(page, 'Receive');
  await startAfresh(page);
  await expect(siteField).toHaveValue('');
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('200');
  await page.getByLabel('Line 1 unit cost').fill('1.00');
  const refusal = 'Site: no receiving site is picked. Pick the site the stock arrives at.';
  const error = page.getByTestId('error-bar');
  // Ctrl+Enter twice (review, then post) posts nothing: the review is refused naming the field, focus on it.
  await page.getByLabel('Line 1 unit cost').press('Control+Enter');
  await page.keyboard.press('Control+Enter');
  await expect(error).toContainText(refusal);
  await expect(siteField).toBeFocused();
  await expect(page.getByTestId('op-review')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/operations-receive-no-site.png', fullPage: true });
  // Enter on the Review button, and a click on it, are refused the same way.
  await error.getByRole('button', { name: 'Dismiss' }).click();
  await expect(error).toHaveCount(0);
  await page.getByRole('button', { name: 'Review' }).focus();
  await page.keyboard.press('Enter');
  await expect(error).toContainText(refusal);
  await expect(siteField).toBeFocused();
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(error).toContainText(refusal);
  await expect(page.getByTestId('op-result')).toHaveCount(0);

  // Picked, the review names the site above the movements; Ctrl+Enter posts there.
  await siteField.selectOption({ label: 'Central Warehouse' });
  await page.getByLabel('Line 1 quantity').press('Control+Enter');
  await expect(page.getByTestId('review-site')).toHaveText('Site: Central Warehouse');
  await expect(page.getByTestId('review-row').first()).toContainText('Central Warehouse');
  await page.screenshot({ path: 'test-results/operations-receive-review-site.png', fullPage: true });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt (no reference): 1 movement.');
  await expectStock(page, sku, 'Central Warehouse', before + 200);

  // After a reload the next receipt opens on the site last received at, on this computer; another form does not borrow it.
  await page.goto('about:blank');
  await page.goto(`/#token=${E2E_TOKEN}`);
  await tab(page, 'Receive');
  await expect(siteField.locator('option:checked')).toHaveText('Central Warehouse');
  await expect(siteField.locator('option', { hasText: 'Pick the receiving site' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Wastage / clear', exact: true }).click();
  await expect(siteField).toHaveValue('');
  await expect(siteField.locator('option:checked')).toHaveText('Pick the site of the loss');
  await page.screenshot({ path: 'test-results/operations-wastage-unpicked.png' });
  // Adjustments too: a draft is not started at a guessed site.
  await page.getByRole('tab', { name: 'Adjustments', exact: true }).click();
  const adjustmentSite = page.getByLabel('Site', { exact: true });
  await expect(adjustmentSite.locator('option:checked')).toHaveText('Pick the site');
  await page.getByRole('button', { name: 'Start draft' }).click();
  await expect(error).toContainText('Site: no site is picked. Pick the site whose stock the adjustment corrects.');
  await expect(adjustmentSite).toBeFocused();
  await expect(page.getByTestId('draft-line')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a product box left with typed text holds what it shows: a SKU typed in full is the line\'s product, text matching several says so at once', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  await tab(page, 'Receive');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  await page.getByRole('button', { name: 'Remove line 1' }).click();
  await page.getByRole('button', { name: 'Add line' }).click();
  // Typed in full, then the clerk clicks on into the quantity (no option clicked): the line holds that product.
  const box = page.getByRole('combobox', { name: 'Line 1 product' });
  await box.click();
  await box.pressSequentially(sku);
  await page.getByLabel('Line 1 quantity').click();
  await expect(box).toHaveValue(sku);
  await expect(page.getByTestId('pick-product')).toHaveCount(0);
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByLabel('Line 1 unit cost').fill('1.00');
  // Text that matches many products, left the same way: the line says so at once, not only at review.
  await page.getByRole('button', { name: 'Add line' }).click();
  const second = page.getByRole('combobox', { name: 'Line 2 product' });
  await second.pressSequentially('a');
  // (its open list covers the quantity below it: the focus moves on as a click elsewhere would move it)
  await page.getByLabel('Line 2 quantity').focus();
  await expect(page.getByTestId('pick-product')).toContainText('Pick a product:');
  await page.screenshot({ path: 'test-results/operations-product-left-typed.png' });
  await page.getByRole('button', { name: 'Remove line 2' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await expect(page.getByTestId('review-row').first()).toContainText(sku);
  expect(errors).toEqual([]);
});

test('an import cannot be posted twice by accident: the button stays off, and the same file again needs confirming', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  await tab(page, 'Receive');
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  const before = (await stockBySite(page, sku))['Kitchen'] ?? 0;
  const file = { name: 'e2e-opening.csv', mimeType: 'text/csv', buffer: Buffer.from(`sku,site,qty\n${sku},KITCHEN,3\n`) };

  await tab(page, 'Import');
  const chooser = page.getByLabel('CSV or XLSX file');
  const importAll = page.getByRole('button', { name: 'Import all rows' });
  await chooser.setInputFiles(file);
  await expect(page.getByTestId('import-summary')).toContainText('1 row · 1 valid', { timeout: 30_000 });
  await importAll.click();
  await expect(page.getByText(/^Imported 1 row in 1 document/)).toBeVisible({ timeout: 30_000 });
  // A second click cannot post it again: the button is off until another file is chosen.
  await expect(importAll).toBeDisabled();
  await expectStock(page, sku, 'Kitchen', before + 3);

  // The same file chosen again is refused with when, by whom and as which document; Back leaves the stock alone.
  await tab(page, 'Import');
  await chooser.setInputFiles(file);
  await expect(page.getByTestId('import-summary')).toContainText('1 row · 1 valid', { timeout: 30_000 });
  await importAll.click();
  const dialog = page.getByRole('dialog', { name: 'This file was imported before' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('earlier-imports')).toContainText(/\d{1,2}\/\d{1,2}\/\d{4},? \d{1,2}:\d{2}( [AP]M)? by .+, 1 row in 1 import document \(e2e-opening\.csv\)/); // in the company locale (here the machine's)
  await page.screenshot({ path: 'test-results/operations-import-duplicate.png' });
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(dialog).toBeHidden();
  await expectStock(page, sku, 'Kitchen', before + 3);

  // Confirmed, it is imported a second time.
  await tab(page, 'Import');
  await chooser.setInputFiles(file);
  await expect(page.getByTestId('import-summary')).toContainText('1 row · 1 valid', { timeout: 30_000 });
  await importAll.click();
  await dialog.getByRole('button', { name: 'Import again' }).click();
  await expect(page.getByText(/^Imported 1 row in 1 document/)).toBeVisible({ timeout: 30_000 });
  await expect(importAll).toBeDisabled();
  await expectStock(page, sku, 'Kitchen', before + 6);
  expect(errors).toEqual([]);
});

test('an import of a batch already expired lists it as a warning by row, and imports it only when confirmed', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  await tab(page, 'Receive');
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Lot');
  const before = (await stockBySite(page, sku))['Kitchen'] ?? 0;
  const batch = `E2E-GONE-${Date.now()}`;
  const file = { name: 'e2e-expired.csv', mimeType: 'text/csv', buffer: Buffer.from(`sku,site,qty,batch,expiry\n${sku},KITCHEN,2,${batch},2001-03-31\n`) };

  await tab(page, 'Import');
  const importAll = page.getByRole('button', { name: 'Import all rows' });
  await page.getByLabel('CSV or XLSX file').setInputFiles(file);
  await expect(page.getByTestId('import-summary')).toContainText('1 row · 1 valid · 0 problems · 1 warning', { timeout: 30_000 });
  await expect(page.getByTestId('import-warning')).toHaveText(new RegExp(`^2expiryRow 2: batch ${batch} of \\S+ expired (31/03|03/31)/2001, before the import's day \\d\\d/\\d\\d/\\d{4}: imported only when you confirm it\\.$`));
  await page.screenshot({ path: 'test-results/operations-import-expired-warning.png', fullPage: true });
  await importAll.click();
  const dialog = page.getByRole('dialog', { name: 'Import expired stock?' });
  await expect(dialog).toContainText("1 row of the file brings in a batch that expired before the import's day");
  await page.screenshot({ path: 'test-results/operations-import-expired-confirm.png' });
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(dialog).toBeHidden();
  await expectStock(page, sku, 'Kitchen', before);

  await tab(page, 'Import');
  await page.getByLabel('CSV or XLSX file').setInputFiles(file);
  await expect(page.getByTestId('import-summary')).toContainText('1 warning', { timeout: 30_000 });
  await importAll.click();
  await dialog.getByRole('button', { name: 'Import expired stock' }).click();
  await expect(page.getByText(/^Imported 1 row in 1 document/)).toBeVisible({ timeout: 30_000 });
  await expectStock(page, sku, 'Kitchen', before + 2);
  expect(errors).toEqual([]);
});

/** A unit cost typed on a receipt, then Review. */
async function reviewUnitCost(page: Page, typed: string): Promise<void> {
  await ensureDemo(page);
  await tab(page, 'Receive');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByLabel('Line 1 unit cost').fill(typed);
  await page.getByRole('button', { name: 'Review' }).click();
}

/** The company's "Numbers and dates" saved as `locale` in the Company window. */
async function setCompanyLocale(page: Page, locale: string): Promise<void> {
  await ensureDemo(page);
  await page.getByRole('link', { name: /Company/ }).first().click();
  await expect(page.getByTestId('company-page')).toBeVisible();
  const name = page.getByTestId('company-name-input');
  if (!(await name.inputValue())) await name.fill('Harbour Kitchen');
  await page.getByTestId('company-locale').fill(locale);
  await page.getByTestId('company-locale').press('Enter');
  await expect(page.getByTestId('company-saved')).toBeVisible();
}

test('on-costs typed for a product whose group does not post them: the receipt form and its review say so, naming the group setting', async ({ page }) => {
  await ensureDemo(page);
  await tab(page, 'Receive');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await typeProduct(page, 'Line 1 product', 'SOF-00012'); // demo group SOFT: "Post on-costs to cost of sales" off
  await page.getByLabel('Line 1 quantity').fill('2');
  await page.getByLabel('Line 1 unit cost').fill('0.52');
  const notice = page.getByTestId('op-on-costs-unposted');
  await expect(notice).toHaveCount(0); // no on-costs typed yet
  await page.getByRole('button', { name: 'Line 1 on-costs' }).click();
  await page.getByLabel('Line 1 freight').fill('0.05');
  await expect(notice).toHaveText(
    'On-costs typed here are recorded on the movements but not posted to finance for SOF-00012: group Soft drinks & mixers (SOFT) has "Post on-costs to cost of sales" off. ' +
      'To post them, tick "Post on-costs to cost of sales" for the group under Products → Product groups (or give the product a group that has it).',
  );
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review')).toBeVisible();
  await expect(notice).toBeVisible();
  await page.screenshot({ path: 'test-results/operations-on-costs-unposted.png', fullPage: true });
  await page.getByLabel('Line 1 freight').fill('');
  await expect(notice).toHaveCount(0);
});

test.describe('numbers are typed as the company writes them, whatever the browser locale', () => {
  test.describe('company de-DE, browser en-GB', () => {
    test.use({ locale: 'en-GB' });
    test('a unit cost of "2,10" is 2.10 and shown back as "2,10"', async ({ page }) => {
      await setCompanyLocale(page, 'de-DE');
      await reviewUnitCost(page, '2,10');
      await expect(page.getByTestId('review-net')).toHaveText(/^2,10\s£$/);
      await page.screenshot({ path: 'test-results/operations-company-de-browser-en.png' });
    });
    test('a unit cost typed as the screen writes it, "1.234,50", is 1234.50, not refused as ambiguous', async ({ page }) => {
      await setCompanyLocale(page, 'de-DE');
      await reviewUnitCost(page, '1.234,50');
      await expect(page.getByTestId('review-net')).toHaveText(/^1\.234,50\s£$/);
      await page.screenshot({ path: 'test-results/operations-company-de-grouped-cost.png' });
    });
    test("a receipt line's on-costs show at the precision typed, as unit costs are: 0,0495 is 0,0495 £, never rounded to 0,05 £", async ({ page }) => {
      await setCompanyLocale(page, 'de-DE');
      await tab(page, 'Receive');
      await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
      await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
      await page.getByLabel('Line 1 quantity').fill('1');
      const onCosts = page.getByRole('button', { name: 'Line 1 on-costs' });
      await onCosts.click();
      await page.getByLabel('Line 1 freight').fill('0,0495');
      await expect(onCosts).toHaveText(/^0,0495\s£$/);
      await page.screenshot({ path: 'test-results/operations-on-cost-precision.png' });
      await page.getByLabel('Line 1 freight').fill('0,05');
      await expect(onCosts).toHaveText(/^0,05\s£$/);
    });
    test("an import's expiry may be written as the company's short date (31.05.2031); another pattern is refused naming both", async ({ page }) => {
      await setCompanyLocale(page, 'de-DE');
      await tab(page, 'Receive');
      const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Lot');
      const file = (expiry: string) => ({ name: `e2e-expiry-${expiry.replace(/\D/g, '')}.csv`, mimeType: 'text/csv', buffer: Buffer.from(`sku;site;qty;batch;expiry\n${sku};KITCHEN;2;E2E-EXP;${expiry}\n`) });
      await tab(page, 'Import');
      await page.getByLabel('CSV or XLSX file').setInputFiles(file('05/31/2031'));
      await expect(page.getByTestId('import-problem')).toContainText(`The expiry "05/31/2031" is not a date. Write it as 2026-05-31 (year-month-day), or as 31.05.2026 (the company's dates, de-DE).`, { timeout: 30_000 });
      await page.screenshot({ path: 'test-results/operations-import-expiry-refused.png' });
      await page.getByLabel('CSV or XLSX file').setInputFiles(file('31.05.2031'));
      await expect(page.getByTestId('import-summary')).toContainText('1 row · 1 valid · 0 problems', { timeout: 30_000 });
      await page.screenshot({ path: 'test-results/operations-import-expiry-company-date.png' });
    });
  });
  test.describe('company en-GB, browser de-DE', () => {
    test.use({ locale: 'de-DE' });
    test('a unit cost of "2,10" is refused with the point spelling, never read as £210', async ({ page }) => {
      await setCompanyLocale(page, 'en-GB');
      await reviewUnitCost(page, '2,10');
      await expect(page.getByText('Line 1 unit cost: "2,10" uses a comma as decimal separator; use a point, e.g. 2.10')).toBeVisible();
      await expect(page.getByTestId('op-review')).toHaveCount(0);
      await page.getByLabel('Line 1 unit cost').fill('2.10');
      await page.getByRole('button', { name: 'Review' }).click();
      await expect(page.getByTestId('review-net')).toHaveText('£2.10');
    });
    test('an import file is read in the format chosen under "Numbers in this file", the company\'s by default', async ({ page }) => {
      await ensureDemo(page);
      await tab(page, 'Receive');
      const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
      const before = (await stockBySite(page, sku))['Kitchen'] ?? 0;
      const file = { name: 'e2e-decimal-comma.csv', mimeType: 'text/csv', buffer: Buffer.from(`sku;site;qty\n${sku};KITCHEN;2,5\n`) };
      await tab(page, 'Import');
      const numbers = page.getByTestId('numbers-in-file');
      await expect(numbers).toHaveValue('en-GB');
      await page.getByLabel('CSV or XLSX file').setInputFiles(file);
      const summary = page.getByTestId('import-summary');
      await expect(summary).toContainText('Numbers read as 1,234.56 · 1 row · 0 valid');
      await expect(page.getByTestId('import-problem')).toContainText(`"2,5" uses a comma as decimal separator; this file is read as 1,234.56: choose 1.234,56 under 'Numbers in this file', or write 2.5`);
      await page.screenshot({ path: 'test-results/operations-import-numbers-refused.png' });
      await numbers.selectOption('de-DE');
      await expect(summary).toContainText('Numbers read as 1.234,56 · 1 row · 1 valid · 0 problems · 1 product · 1 site');
      await page.screenshot({ path: 'test-results/operations-import-numbers-chosen.png' });
      await page.getByRole('button', { name: 'Import all rows' }).click();
      await expect(page.getByText(/^Imported 1 row in 1 document/)).toBeVisible({ timeout: 30_000 });
      await expectStock(page, sku, 'Kitchen', before + 2.5);
    });
  });
});

test('a sales return of a batch already expired is marked on its line and returned only when confirmed, as a receipt', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  await tab(page, 'Returns inbound');
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Lot');
  await page.getByLabel('Receiving site', { exact: true }).selectOption({ label: 'Bonded Cellar' });
  await expect(page.getByRole('combobox', { name: 'Line 1 product' })).toHaveValue(sku);
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByLabel('Line 1 batch').fill('E2E-RET-OLD');
  await page.getByLabel('Line 1 expiry').fill('2000-01-31');
  await expect(page.getByLabel('Line 1 expired')).toContainText(/^Expired (31\/01|01\/31)\/2000, before this return's day \d\d\/\d\d\/\d{4}\. Posting asks you to confirm it\.$/);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review')).toContainText(/Line 1: batch E2E-RET-OLD of \S+ expired (31\/01|01\/31)\/2000, before this return's day .*it is returned to stock as expired stock; posting asks you to confirm it\./);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Return expired stock?' });
  await expect(dialog.getByTestId('expired-lots')).toHaveText(/^Line 1: batch E2E-RET-OLD of \S+, expired (31\/01|01\/31)\/2000 \(return's day \d\d\/\d\d\/\d{4}\)$/);
  await page.screenshot({ path: 'test-results/operations-return-expired-confirm.png', fullPage: true });
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByTestId('op-result')).toHaveCount(0);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await dialog.getByRole('button', { name: 'Return expired stock' }).click();
  await expect(page.getByTestId('op-result')).toContainText('1 movement.');
  expect(errors).toEqual([]);
});

test('the import preview shows what each row will post, rows numbered as in the file (the header is row 1)', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  await tab(page, 'Receive');
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  // A blank line after the first row: the spreadsheet shows it as row 3, so the unknown SKU is row 4 of the file.
  const file = { name: 'e2e-preview.csv', mimeType: 'text/csv', buffer: Buffer.from(`sku,site,bin,qty,batch,expiry,serial,unit_cost\n${sku},KITCHEN,,3,,,,1.25\n\nNOPE-E2E,KITCHEN,,2,,,,1\n`) };
  await tab(page, 'Import');
  await page.getByLabel('Import type').selectOption('stock_receipt');
  await page.getByLabel('CSV or XLSX file').setInputFiles(file);
  await expect(page.getByTestId('import-summary')).toContainText('2 rows · 1 valid · 1 problem', { timeout: 30_000 });
  await expect(page.getByTestId('import-problem')).toHaveText(/^4skuUnknown SKU "NOPE-E2E"/);
  const rows = page.getByTestId('import-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(new RegExp(`^2${sku} .*KITCHEN.*3(\\.0+)? \\S+.*£1\\.25.*valid$`));
  await expect(rows.nth(1)).toContainText(/^4—in the file: NOPE-E2E.*see the problems$/);
  await expect(page.getByTestId('import-rows-caption')).toContainText('Rows are numbered as in the file: the header is row 1.');
  await page.screenshot({ path: 'test-results/operations-import-preview-rows.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a review names every bad line at once, each line\'s field marked: too many decimals on one, a shortage on another', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  await tab(page, 'Despatch / sale');
  const kept = page.getByRole('group', { name: 'Unsaved document restored' });
  if (await kept.isVisible()) await startAfresh(page);
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · Bulk');
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByRole('button', { name: 'Add line' }).click();
  await typeProduct(page, 'Line 2 product', sku);
  await page.getByLabel('Line 2 quantity').fill('1.234567');
  await page.getByRole('button', { name: 'Add line' }).click();
  await typeProduct(page, 'Line 3 product', sku);
  await page.getByLabel('Line 3 quantity').fill('999999');
  await page.getByRole('button', { name: 'Review' }).click();
  const bar = page.getByTestId('error-bar');
  // Line 1 may be short too (the demo product picked may have none there): every bad line is named, in line order,
  // one a row under the lead-in, and what to do after the list.
  await expect(bar).toContainText(/^Not posted\. [23] lines cannot be posted as they are, so nothing was posted:/);
  const listed = bar.getByTestId('error-lines').getByRole('listitem');
  await expect(listed.filter({ hasText: /^Line 2: quantity of \S+ "1\.234567" has more than \d decimal places/ })).toHaveCount(1);
  await expect(listed.filter({ hasText: /^Line 3: not enough .* short by [\d,.]+\./ })).toHaveCount(1);
  await expect(listed.last()).toHaveText(/^Line 3: /);
  expect(await listed.count()).toBeGreaterThanOrEqual(2);
  await expect(bar).toContainText(/Correct them and review again\.$/);
  await expect(page.getByLabel('Line 2 quantity')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Line 3 quantity')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('op-review')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/operations-review-every-line.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a kit sold with a serial-tracked component: its Serials field asks per kit, the review shows the kit line over its components', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  // Set up as a clerk would in Products and Recipes: a serial-tracked drill and a case in stock, and a kit of one each.
  const wh = (await call<{ id: number; name: string }[]>('masterdata.sites', {})).find((x) => x.name === 'Central Warehouse')!.id;
  const product = (sku: string, name: string, stockType: string, tracking: string) =>
    call<{ id: number }>('masterdata.productCreate', { sku, name, unit: 'each', scale: 0, stockType, tracking, stockKeeping: true, lowStockLevel: null });
  const drill = await product('E2E-DRILL', 'E2E cordless drill', 'Supplied', 'SERIAL');
  const box = await product('E2E-CASE', 'E2E carry case', 'Supplied', 'BULK');
  const kit = await product('E2E-KIT', 'E2E drill kit', 'Recipe', 'BULK');
  await call('operations.receive', {
    idempotencyKey: 'e2e-kit-serial-receipt',
    kind: 'stock_receipt',
    siteId: wh,
    dutyPaid: false,
    lines: [
      { productId: drill.id, qty: 2, serials: ['E2E-SN-1', 'E2E-SN-2'], unitCost: 500_000 },
      { productId: box.id, qty: 5, unitCost: 100_000 },
    ],
  });
  await call('recipes.save', { recipeId: kit.id, effectiveFrom: '2000-01-01T00:00:00.000Z', components: [{ productId: drill.id, qtyPerUnit: 1 }, { productId: box.id, qtyPerUnit: 1 }] });

  await tab(page, 'Despatch / sale');
  const kept = page.getByRole('group', { name: 'Unsaved document restored' });
  if (await kept.isVisible()) await startAfresh(page);
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await typeProduct(page, 'Line 1 product', 'E2E-KIT');
  await page.getByLabel('Line 1 quantity').fill('1');
  // The kit's Serials field opens for its serial-tracked component and asks for it by code, per kit.
  const serials = page.getByLabel('Line 1 serials');
  await expect(serials).toBeEnabled();
  await expect(serials).toHaveAttribute('placeholder', 'E2E-DRILL: 1 per kit');
  await page.screenshot({ path: 'test-results/operations-kit-serials-field.png', fullPage: true });
  await serials.fill('E2E-SN-2');
  await page.getByRole('button', { name: 'Review' }).click();
  // The kit line as typed (code, name, quantity), its two component movements under it: the unit typed goes out.
  const kitRow = page.getByTestId('review-kit');
  await expect(kitRow).toHaveCount(1);
  await expect(kitRow).toContainText(/^Line 1: kitE2E-KIT E2E drill kit2 movements of its components below1 each$/);
  const rows = page.getByTestId('review-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'E2E-DRILL' })).toContainText('E2E-SN-2');
  await expect(rows.filter({ hasText: 'E2E-CASE' })).toContainText('-1');
  await expect(page.locator('[data-kit-component="E2E-KIT"]')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/operations-kit-serial-review.png', fullPage: true });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Despatch (no reference): 2 movements.');
  await page.screenshot({ path: 'test-results/operations-kit-serial-posted.png', fullPage: true });
  // E2E-SN-2 left the warehouse; E2E-SN-1 is the drill still there.
  const left = await call<{ qty: number }[]>('operations.availability', { productId: drill.id, siteId: wh });
  expect(left.reduce((a, r) => a + r.qty, 0)).toBe(1);
  await expectStock(page, 'E2E-CASE', 'Central Warehouse', 4);
  expect(errors).toEqual([]);
});

 
/** A hamper kit E2E-HAMPER-<tag> (1 E2E-LOAF-<tag> + 2 E2E-JAM-<tag>) and its components in stock at Central Warehouse, set up through the contract. */
async function hamperKit(tag: string): Promise<{ wh: number; loaf: number; jam: number; hamper: number }> {
  const wh = (await call<{ id: number; name: string }[]>('masterdata.sites', {})).find((x) => x.name === 'Central Warehouse')!.id;
  const product = (sku: string, name: string, stockType: string) =>
    call<{ id: number }>('masterdata.productCreate', { sku, name, unit: 'each', scale: 0, stockType, tracking: 'BULK', stockKeeping: true, lowStockLevel: null });
  const loaf = (await product(`E2E-LOAF-${tag}`, 'E2E sourdough loaf', 'Supplied')).id;
  const jam = (await product(`E2E-JAM-${tag}`, 'E2E jar of jam', 'Supplied')).id;
  const hamper = (await product(`E2E-HAMPER-${tag}`, 'E2E breakfast hamper', 'Recipe')).id;
  await call('operations.receive', {
    idempotencyKey: `e2e-hamper-receipt-${tag}`,
    kind: 'stock_receipt',
    siteId: wh,
    dutyPaid: false,
    lines: [{ productId: loaf, qty: 8, unitCost: 30_000 }, { productId: jam, qty: 10, unitCost: 20_000 }],
  });
  await call('recipes.save', { recipeId: hamper, effectiveFrom: '2000-01-01T00:00:00.000Z', components: [{ productId: loaf, qtyPerUnit: 1 }, { productId: jam, qtyPerUnit: 2 }] });
  return { wh, loaf, jam, hamper };
}

test('a sale of one product on two lines: the review shows each line on hand as the line above leaves it, and refuses what is not left', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  await hamperKit('A');
  await tab(page, 'Despatch / sale');
  const kept = page.getByRole('group', { name: 'Unsaved document restored' });
  if (await kept.isVisible()) await startAfresh(page);
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await typeProduct(page, 'Line 1 product', 'E2E-LOAF-A');
  await page.getByLabel('Line 1 quantity').fill('3');
  await page.getByLabel('Line 1 quantity').press('Enter');
  await typeProduct(page, 'Line 2 product', 'E2E-LOAF-A');
  await page.getByLabel('Line 2 quantity').fill('3');
  // The form's own On hand column reads it the same way before any review: line 2 finds what line 1 leaves.
  await expect(page.getByTestId('on-hand')).toHaveText(['8 → 5', '5 → 2']);
  await page.screenshot({ path: 'test-results/operations-form-two-lines-on-hand.png', fullPage: true });
  await page.getByRole('button', { name: 'Review' }).click();
  // 8 loaves: line 1 finds 8 and leaves 5; line 2 finds those 5 (not 8) and leaves 2.
  await expect(page.getByTestId('review-row')).toHaveCount(2);
  await expect(page.getByTestId('review-on-hand-here')).toHaveText(['8 → 5', '5 → 2']);
  await expect(page.getByTestId('review-on-hand-site')).toHaveText(['8 → 5', '5 → 2']);
  await page.screenshot({ path: 'test-results/operations-review-two-lines-on-hand.png', fullPage: true });
  // Two lines of 5 take 10 of 8: the second is refused for the 3 the first leaves.
  await page.getByRole('button', { name: 'Back to edit' }).click();
  await page.getByLabel('Line 1 quantity').fill('5');
  await page.getByLabel('Line 2 quantity').fill('5');
  await expect(page.getByTestId('on-hand')).toHaveText(['8 → 3', '3 → -2']);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('error-bar')).toContainText(/Line 2: not enough E2E-LOAF-A "E2E sourdough loaf" at Central Warehouse: available 3, this takes 5, short by 2\./);
  await expect(page.getByTestId('op-review')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/operations-review-two-lines-short.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a refund of a kit sold shows the sale\'s kit line over its components: one of two hampers back, then both', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  const { wh, hamper } = await hamperKit('B');
  const sale = await call<{ documentId: number }>('operations.despatch', { idempotencyKey: 'e2e-hamper-sale-B', kind: 'sale', siteId: wh, lines: [{ productId: hamper, qty: 2 }] });
  await tab(page, 'Refund / credit');
  await page.getByLabel('Find sale (no. or reference)').fill(String(sale.documentId));
  await page.getByLabel('Find sale (no. or reference)').press('Enter');
  await expect(page.getByTestId('reverse-line')).toHaveCount(2);
  // One hamper back: a loaf and two jars, 1 of the 2 sold on sale line 1.
  await page.getByLabel('Reverse line 1 E2E-LOAF-B').fill('1');
  await page.getByLabel('Reverse line 2 E2E-JAM-B').fill('2');
  await page.getByRole('button', { name: 'Review' }).click();
  const kitRow = page.getByTestId('review-kit');
  await expect(kitRow).toHaveCount(1);
  await expect(kitRow).toHaveText(/^Sale line 1: kitE2E-HAMPER-B E2E breakfast hamper2 movements of its components below1 of 2 each sold$/);
  await expect(page.locator('[data-kit-component="E2E-HAMPER-B"]')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/operations-kit-refund-review-one.png', fullPage: true });
  // Both hampers back: the 2 loaves and 4 jars they were sold as.
  await page.getByRole('button', { name: 'Back to edit' }).click();
  await page.getByLabel('Reverse line 1 E2E-LOAF-B').fill('2');
  await page.getByLabel('Reverse line 2 E2E-JAM-B').fill('4');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(kitRow).toHaveText(/^Sale line 1: kitE2E-HAMPER-B E2E breakfast hamper2 movements of its components below2 each$/);
  await expect(page.locator('[data-kit-component="E2E-HAMPER-B"]')).toHaveCount(2);
  await expect(page.getByTestId('review-row').filter({ hasText: 'E2E-JAM-B' })).toContainText('+4');
  await page.screenshot({ path: 'test-results/operations-kit-refund-review.png', fullPage: true });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('2 movements.');
  expect(errors).toEqual([]);
});

test('moving stock into an expired batch, and adding stock to one, ask first: internal transfer and adjustment draft', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureDemo(page);
  // Set up through the contract: a lot-tracked product with a good batch and one that expired in 2000 (received confirmed).
  const wh = (await call<{ id: number; name: string }[]>('masterdata.sites', {})).find((x) => x.name === 'Central Warehouse')!.id;
  const lot = await call<{ id: number }>('masterdata.productCreate', { sku: 'E2E-LOT', name: 'E2E lot syrup', unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'LOT', stockKeeping: true, lowStockLevel: null });
  await call('operations.receive', {
    idempotencyKey: 'e2e-expired-into-receipt',
    kind: 'stock_receipt',
    siteId: wh,
    dutyPaid: false,
    confirmExpired: true,
    lines: [
      { productId: lot.id, qty: 5, batch: { code: 'E2E-FRESH', expiry: '2099-12-31' }, unitCost: 20_000 },
      { productId: lot.id, qty: 1, batch: { code: 'E2E-GONE', expiry: '2000-01-31' }, unitCost: 20_000 },
    ],
  });

  // Internal transfer of 2 from E2E-FRESH into E2E-GONE (named by its code alone: the ledger knows its expiry).
  await tab(page, 'Internal transfer');
  const kept = page.getByRole('group', { name: 'Unsaved document restored' });
  if (await kept.isVisible()) await startAfresh(page);
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await typeProduct(page, 'Line 1 product', 'E2E-LOT');
  await page.getByLabel('Line 1 quantity').fill('2');
  await page.getByLabel('Line 1 from batch').fill('E2E-FRESH');
  await page.getByLabel('Line 1 to batch').fill('E2E-GONE');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review')).toContainText(/Line 1: batch E2E-GONE of E2E-LOT expired (31\/01|01\/31)\/2000, before this transfer's day .*: it is moved into that batch as expired stock; posting asks you to confirm it\./);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const moveDialog = page.getByRole('dialog', { name: 'Move stock into an expired batch?' });
  await expect(moveDialog.getByTestId('expired-lots')).toHaveText(/^Line 1: batch E2E-GONE of E2E-LOT, expired (31\/01|01\/31)\/2000 \(transfer's day \d\d\/\d\d\/\d{4}\)$/);
  await expect(moveDialog).toContainText('Move stock into it only if that is what you mean, such as stock set aside to be written off. Otherwise go back and pick another to batch, or correct its expiry.');
  await page.screenshot({ path: 'test-results/operations-transfer-expired-confirm.png', fullPage: true });
  await moveDialog.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByTestId('op-result')).toHaveCount(0);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await moveDialog.getByRole('button', { name: 'Move into expired batch' }).click();
  await expect(page.getByTestId('op-result')).toContainText('2 movements.');

  // An adjustment draft typed in the form: 1 found into a new batch expired in 2000 (its batch and expiry typed on the
  // new line), and 1 lost from batch E2E-FRESH (the On hand cell narrows to the batch typed).
  await tab(page, 'Adjustments');
  await page.getByLabel('New adjustment name').fill('E2E found syrup');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Central Warehouse' });
  await page.getByRole('button', { name: 'Start draft' }).click();
  await typeProduct(page, 'New draft line product', 'E2E-LOT');
  await expect(page.getByLabel('New draft line batch')).toBeEnabled();
  await page.getByLabel('New draft line batch').fill('E2E-FOUND');
  await page.getByLabel('New draft line expiry').fill('2000-02-29');
  await page.getByLabel('New draft line quantity').fill('1');
  await page.getByLabel('New draft line reason').selectOption('found');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('draft-line')).toHaveCount(1);
  await expect(page.getByTestId('draft-line').first()).toContainText('E2E-FOUND');
  await expect(page.getByTestId('draft-line').first()).toContainText(/(29\/02|02\/29)\/2000/);
  await typeProduct(page, 'New draft line product', 'E2E-LOT');
  await page.getByLabel('New draft line batch').fill('E2E-FRESH');
  await expect(page.getByTestId('on-hand')).toHaveText('3'); // 5 received, 2 moved into E2E-GONE
  await page.getByLabel('New draft line quantity').fill('-1');
  await page.getByLabel('New draft line reason').selectOption('damage');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('draft-line')).toHaveCount(2);
  await expect(page.getByTestId('draft-row').filter({ hasText: 'E2E found syrup' }).locator('td').nth(3)).toHaveText('2'); // Lines
  await expect(page.getByTestId('draft-line').nth(1)).toContainText('E2E-FRESH');
  await page.screenshot({ path: 'test-results/operations-adjustment-batches.png', fullPage: true });
  await page.getByRole('button', { name: 'Review adjustment' }).click();
  await expect(page.getByTestId('op-review')).toContainText(/Line 1: batch E2E-FOUND of E2E-LOT.*posting asks you to confirm it/);
  await page.getByTestId('op-post').click();
  const addDialog = page.getByRole('dialog', { name: 'Add expired stock?' });
  await expect(addDialog.getByTestId('expired-lots')).toHaveText(/^Line 1: batch E2E-FOUND of E2E-LOT, expired (29\/02|02\/29)\/2000 \(adjustment's day \d\d\/\d\d\/\d{4}\)$/);
  await page.screenshot({ path: 'test-results/operations-adjustment-expired-confirm.png', fullPage: true });
  await addDialog.getByRole('button', { name: 'Add expired stock' }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted "E2E found syrup" as an adjustment: 2 movements.');
  await expectStock(page, 'E2E-LOT', 'Central Warehouse', 6);
  expect((await call<{ batchCode: string | null; qty: number }[]>('operations.availability', { productId: lot.id, siteId: wh })).map((r) => `${r.batchCode}:${r.qty}`).sort()).toEqual(['E2E-FOUND:1', 'E2E-FRESH:2', 'E2E-GONE:3']);
  expect(errors).toEqual([]);
});
