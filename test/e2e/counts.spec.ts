import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { machineDefaults } from '../../electron/company/company-rules';
import { formatDate, formatQuantityIn } from '../../shared/company-format';

test.describe.configure({ mode: 'serial' });

const num = (text: string) => Number(/-?\d+(?:\.\d+)?/.exec(text.replace(/,/g, ''))?.[0]);
const decimals = (text: string) => (text.split('.')[1] ?? '').trim().length;

async function onHand(page: Page, sku: string, site: string): Promise<number> {
  await page.getByTestId('nav-stock').click();
  await page.getByLabel('Filter by SKU or name').fill(sku);
  await page.getByLabel('Site').selectOption({ label: site });
  const row = page.getByTestId('stock-row').filter({ has: page.getByTestId('stock-sku').getByText(sku, { exact: true }) });
  await expect(row).toHaveCount(1);
  return num(await row.getByTestId('stock-on-hand').innerText());
}

/** The expected variance text per sku, as the count sheet shows it (and the enquiry shows the movement quantity). */
const variances = new Map<string, string>();

/** Types system ± delta into a counted cell of a BULK/LOT row and returns the sku. */
async function count(row: Locator, delta: number): Promise<string> {
  const system = (await row.getByTestId('count-system').innerText()).trim();
  const d = decimals(system);
  const value = (num(system) + delta).toFixed(d);
  const input = row.getByTestId('count-counted-input');
  await input.fill(value);
  await input.press('Tab');
  const variance = `${delta > 0 ? '+' : ''}${delta.toFixed(d)}`;
  await expect(row.getByTestId('count-variance')).toHaveText(variance);
  const sku = (await row.getByTestId('count-sku').innerText()).trim();
  variances.set(sku, variance);
  return sku;
}

/**
 * Opens the Enquiry window, narrows it to Stock Taking movements of one product and returns the one movement the
 * count `reference` posted for it: its quantity text and the stock level at the site after it.
 */
async function stockTaking(page: Page, reference: string, sku: string): Promise<{ qty: string; after: number }> {
  await page.getByTestId('nav-enquiry').click();
  await expect(page.getByTestId('mv-table')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('chip-types').getByRole('button').first().click();
  await page.getByRole('checkbox', { name: /^Stock Taking \(±\)/ }).check();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('chip-types')).toContainText('Stock Taking');
  await page.getByTestId('mv-search').fill(sku);
  const rows = page.getByTestId('mv-row').filter({ has: page.getByTestId('mv-source').getByText(reference) });
  await expect(rows).toHaveCount(1, { timeout: 15_000 });
  await expect(async () => {
    const types = await page.getByTestId('mv-cell-type').allInnerTexts();
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((t) => t === 'Stock Taking')).toBe(true);
  }).toPass({ timeout: 15_000 });
  await expect(rows.getByTestId('mv-cell-sku')).toHaveText(sku);
  return { qty: (await rows.getByTestId('mv-qty').innerText()).trim(), after: num(await rows.getByTestId('mv-after').innerText()) };
}

/** In the open New count dialog: the bin with the most quants across the sites. */
async function biggestBin(page: Page): Promise<{ site: string; bin: string; quants: number }> {
  let best = { site: '', bin: '', quants: 0 };
  // The dialog opens with no site picked (never the first by name): its 'Pick the site to count' is no site.
  for (const site of await page.getByLabel('Count site').locator('option:not([value=""])').allInnerTexts()) {
    await page.getByLabel('Count site').selectOption({ label: site });
    await expect(page.getByLabel('Count bin').locator('option').nth(1)).toBeAttached();
    for (const bin of await page.getByLabel('Count bin').locator('option').allInnerTexts()) {
      const quants = Number(/\((\d+) quants?\)/.exec(bin)?.[1] ?? 0);
      if (quants > best.quants) best = { site, bin, quants };
    }
  }
  return best;
}

/** Opens the app on the demo data (loaded by the first test that finds none); returns the page errors collected from now on. */
async function onDemo(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  const load = page.getByRole('button', { name: 'Load demo data' });
  await expect(load.or(page.getByTestId('stock-row').first())).toBeVisible({ timeout: 30_000 });
  if (await load.isVisible()) await load.click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 90_000 });
  return errors;
}

test('a single-bin cycle count and a full count on demo data, with variances both ways, completed', async ({ page }) => {
  // A long journey (demo data, two counts, print, export, four enquiries): on a busy machine it outlasts the default 120 s.
  test.setTimeout(360_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('button', { name: 'Load demo data' }).click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 90_000 });

  // --- a cycle count of one bin
  await page.getByRole('link', { name: 'Counts' }).click();
  await page.getByRole('button', { name: 'New count' }).click();
  const best = await biggestBin(page);
  expect(best.quants).toBeGreaterThan(1);
  const siteLabel = best.site;
  const siteName = siteLabel.replace(/ \([^)]*\)$/, '');
  await page.getByLabel('Count site').selectOption({ label: siteLabel });
  await page.getByLabel('Count bin').selectOption({ label: best.bin });
  await page.getByLabel('Count notes').fill('Cycle count, e2e');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-sheet')).toBeVisible();
  await expect(page.getByTestId('count-sheet').getByTestId('count-status')).toHaveText('Draft');
  const editable = page.getByTestId('count-row').filter({ has: page.getByTestId('count-counted-input') });
  await expect(editable.first()).toBeVisible();
  expect(await editable.count()).toBeGreaterThan(1);

  const skuUp = await count(editable.nth(0), 1);
  // a second line of a different product, counted one lower (skip lines at zero)
  let down: Locator | null = null;
  for (let i = 1; i < (await editable.count()); i++) {
    const r = editable.nth(i);
    if ((await r.getByTestId('count-sku').innerText()).trim() !== skuUp && num(await r.getByTestId('count-system').innerText()) >= 1) {
      down = r;
      break;
    }
  }
  expect(down).not.toBeNull();
  const skuDown = await count(down!, -1);
  await expect(page.getByTestId('count-summary')).toContainText('2 to adjust');
  await page.getByLabel('Show').selectOption({ label: 'Variance ≠ 0' });
  await expect(page.getByTestId('count-row')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/counts-sheet.png' });
  await page.getByLabel('Show').selectOption({ label: 'All lines' });

  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await page.getByRole('button', { name: 'Complete and post' }).click();
  await expect(page.getByTestId('count-sheet').getByTestId('count-status')).toHaveText('Completed');
  await expect(page.getByTestId('count-sheet')).toContainText(/posted as Stock count SC-\d{6}/);
  await expect(page.getByTestId('count-counted-input')).toHaveCount(0); // read-only
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/counts-completed.png' });
  const cycleRef = (await page.getByTestId('count-reference').innerText()).trim();

  // The printable sheet holds every line at print time (window.print is stubbed: headless has no print dialog).
  // (the sheet's table is virtualised, so the line total comes from the summary "n of N counted")
  const lineCount = num(/of ([\d,]+) counted/.exec(await page.getByTestId('count-summary').innerText())?.[1] ?? '');
  await page.evaluate(() => {
    window.print = () => {
      const rows = [...document.querySelectorAll<HTMLTableRowElement>('[data-testid="count-print-row"]')];
      Object.assign(window, { printedRows: rows.length, printedTracking: [...new Set(rows.map((r) => r.cells[4]?.textContent))].sort() });
    };
  });
  await page.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printedRows?: number }).printedRows)).toBe(lineCount);
  // Its Tracking column reads as Products does (Bulk, Lot…), never the code BULK.
  const printedTracking = await page.evaluate(() => (window as unknown as { printedTracking: string[] }).printedTracking);
  expect(printedTracking.length).toBeGreaterThan(0);
  for (const t of printedTracking) expect(['Bulk', 'Lot', 'Serial', 'RFID']).toContain(t);
  await expect(page.getByTestId('count-print')).toHaveCount(0);
  // The XLSX export downloads a workbook named after the count.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export XLSX' }).click();
  expect((await download).suggestedFilename()).toBe(`${cycleRef}.xlsx`);

  // --- the enquiry shows the count's Stock Taking movements, with the variances as quantities; Current Stock the
  // counted quantities (the stock level after the count's movement is what Current Stock shows now)
  const up = await stockTaking(page, cycleRef, skuUp);
  expect(up.qty).toBe(variances.get(skuUp));
  await page.screenshot({ path: 'test-results/counts-enquiry.png' });
  const downMv = await stockTaking(page, cycleRef, skuDown);
  expect(downMv.qty).toBe(variances.get(skuDown));
  expect(await onHand(page, skuUp, siteName)).toBeCloseTo(up.after, 5);

  // --- a full count of the same site: one line up by one, then Current Stock shows it
  const before = await onHand(page, skuDown, siteName);
  expect(before).toBeCloseTo(downMv.after, 5);
  await page.getByRole('link', { name: 'Counts' }).click();
  await page.getByRole('button', { name: 'New count' }).click();
  await page.getByLabel('Count site').selectOption({ label: siteLabel });
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-sheet')).toContainText('full count');
  await page.getByLabel('Filter lines').fill(skuDown);
  await expect(page.getByTestId('count-row').last().getByTestId('count-sku')).toHaveText(skuDown);
  const row = page.getByTestId('count-row').filter({ has: page.getByTestId('count-counted-input') }).first();
  const system = (await row.getByTestId('count-system').innerText()).trim();
  await count(row, 1);
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await page.getByRole('button', { name: 'Complete and post' }).click();
  await expect(page.getByTestId('count-sheet').getByTestId('count-status')).toHaveText('Completed');
  const fullRef = (await page.getByTestId('count-reference').innerText()).trim();
  const after = await onHand(page, skuDown, siteName);
  expect(Number.isFinite(before)).toBe(true);
  expect(after - before).toBeCloseTo(1, 5);
  await page.screenshot({ path: 'test-results/counts-current-stock.png' });
  const full = await stockTaking(page, fullRef, skuDown);
  expect(full.qty).toBe(variances.get(skuDown));
  expect(full.after).toBeCloseTo(after, 5);
  expect(num(system)).toBeGreaterThanOrEqual(0);
  expect(errors).toEqual([]);
});

test('a count keeps its date, and stock moved after a line was counted is kept as a difference (shown on the sheet)', async ({ page }) => {
  const errors = await onDemo(page);
  await page.getByRole('link', { name: 'Counts' }).click();

  // The bin with the most quants (both counts take the same bin).
  let best: { site: string; bin: string } | null = null;
  const newCount = async () => {
    await page.getByRole('button', { name: 'New count' }).click();
    best ??= await biggestBin(page);
    await page.getByLabel('Count site').selectOption({ label: best.site });
    await page.getByLabel('Count bin').selectOption({ label: best.bin });
  };

  // --- count A: the date field defaults to now; a date before the stock in scope last moved is refused and says why
  await newCount();
  const date = page.getByLabel('Count date');
  // The company's date-time format (en-GB 01/12/2026, 17:05; en-US 12/01/2026, 05:05 PM); ISO is typed below, as any user may.
  await expect(date).toHaveValue(/^\d{2}[./-]\d{2}[./-]\d{4},? \d{2}:\d{2}( [AP]M)?$/);
  // Text that is not a date, or a date after now: Create refuses naming the field — it does not count as at now instead.
  const dialog = page.getByRole('dialog', { name: 'New stock count' });
  for (const text of ['31/31/2020 09:00', '2099-01-31T09:00']) {
    await date.fill(text);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByTestId('error-bar')).toContainText(
      "Count date: what is typed is not a date and time up to now. Type one as the field's hint shows, or pick a day in the calendar, or empty it for now.",
    );
    await expect(date).toHaveValue(text);
    await expect(date).toBeFocused();
    await expect(page.getByTestId('count-sheet')).toHaveCount(0);
  }
  await page.screenshot({ path: 'test-results/counts-date-unreadable.png' });
  // The date typed is the one used: main's refusal names it.
  await date.fill('2020-01-31T09:00');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('dialog', { name: 'New stock count' }).getByTestId('error-bar')).toContainText(
    /moved after (01\/31\/2020|31\/01\/2020), \d\d:00( [AP]M)? \(.* on .*\), .* Date the count at .* or later, or leave the date as now/,
  );
  await page.screenshot({ path: 'test-results/counts-date-refused.png' });
  await date.fill('');
  await page.getByRole('button', { name: 'Create' }).click();
  const sheet = page.getByTestId('count-sheet');
  await expect(sheet).toBeVisible();
  // Today, as the company (this machine's defaults: no settings were saved) writes dates.
  await expect(sheet.getByTestId('count-date')).toContainText(formatDate(Date.now(), machineDefaults()));
  const refA = (await page.getByTestId('count-reference').innerText()).trim();
  const editable = page.getByTestId('count-row').filter({ has: page.getByTestId('count-counted-input') });
  await expect(editable.first()).toBeVisible();
  // two bulk/lot lines with stock (the same rows, in the same order, on both counts of the bin)
  const picked: number[] = [];
  for (let i = 0; picked.length < 2 && i < (await editable.count()); i++) {
    if (num(await editable.nth(i).getByTestId('count-system').innerText()) >= 1) picked.push(i);
  }
  expect(picked).toHaveLength(2);
  const [x, y] = [editable.nth(picked[0]!), editable.nth(picked[1]!)];
  // line X is counted now, before anything moves: the shelf matches the system
  const skuX = await count(x, 0);

  // --- count B of the same bin finds one fewer on both lines and posts it: stock moves after A's snapshot
  await newCount();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-reference')).not.toHaveText(refA);
  await count(x, -1);
  await count(y, -1);
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await page.getByRole('button', { name: 'Complete and post' }).click();
  await expect(sheet.getByTestId('count-status')).toHaveText('Completed');

  // --- back on A: line 1 was counted before the move → keep difference, nothing to adjust;
  // line 2 is counted after the move (one fewer on the shelf) → keep counted, nothing to adjust either
  await page.getByTestId('count-session').filter({ hasText: refA }).click();
  await expect(page.getByTestId('count-reference')).toHaveText(refA);
  const rowX = x;
  await expect(rowX.getByTestId('count-sku')).toHaveText(skuX);
  const ifMoved = (row: Locator, sku: string) => row.getByLabel(`If moved: ${sku}`);
  await expect(rowX.getByTestId('count-moved')).toHaveText(/^-1(\.0+)? after$/);
  await expect(ifMoved(rowX, skuX).locator('option:checked')).toHaveText('By time: difference');
  await expect(rowX.getByTestId('count-adjust')).toHaveText(/^0(\.0+)?$/);
  const skuY = await count(y, -1);
  await expect(y.getByTestId('count-moved')).toHaveText(/^-1(\.0+)? before$/);
  await expect(ifMoved(y, skuY).locator('option:checked')).toHaveText('By time: counted');
  await expect(y.getByTestId('count-adjust')).toHaveText(/^0(\.0+)?$/);
  await expect(page.getByTestId('count-summary')).toContainText(/(^|\D)0 to adjust/);
  // Readable at 1366 px (they read "-2 before c…", "By time: keep co…"): the moved cell and the If moved choice show
  // their whole text; the full sentence is in their title.
  await page.setViewportSize({ width: 1366, height: 768 });
  for (const [row, sku] of [[rowX, skuX], [y, skuY]] as const) {
    expect(await row.getByTestId('count-moved').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    await expect(row.getByTestId('count-moved')).toHaveAttribute('title', /^Moved (after|before) the line was counted/);
    expect(await ifMoved(row, sku).evaluate(selectShowsWholeChoice)).toBe('whole');
  }
  await page.screenshot({ path: 'test-results/counts-moved-by-time.png' });
  // the user may still override: keep counted on line 1 would bring it back up by one
  await ifMoved(rowX, skuX).selectOption('keep_counted');
  await expect(ifMoved(rowX, skuX).locator('option:checked')).toHaveText('Keep counted');
  await expect(rowX.getByTestId('count-adjust')).toHaveText(/^\+1(\.0+)?$/);
  await ifMoved(rowX, skuX).selectOption('by_time');
  await expect(rowX.getByTestId('count-adjust')).toHaveText(/^0(\.0+)?$/);

  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await page.getByRole('button', { name: 'Complete and post' }).click();
  await expect(sheet.getByTestId('count-status')).toHaveText('Completed');
  await expect(sheet).not.toContainText('posted as document'); // nothing differed

  // --- a completed count shows what was counted as System shows quantities, in the company's format: 1234 typed reads
  // back grouped ("1,234" in en-GB/en-US, "1.234" in de-DE), never in the typed form next to a grouped System figure
  await newCount();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-reference')).not.toHaveText(refA);
  const big = editable.nth(picked[0]!);
  const lineId = await big.getAttribute('data-line-id');
  const scale = decimals((await big.getByTestId('count-system').innerText()).trim());
  await big.getByTestId('count-counted-input').fill('1234');
  await big.getByTestId('count-counted-input').press('Tab');
  await expect(big.getByTestId('count-variance')).toHaveText(/^\+/);
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await page.getByRole('button', { name: 'Complete and post' }).click();
  await expect(sheet.getByTestId('count-status')).toHaveText('Completed');
  const counted = page.locator(`[data-testid="count-row"][data-line-id="${lineId}"]`).getByTestId('count-counted');
  await expect(counted).toHaveText(formatQuantityIn(1234 * 10 ** scale, scale, machineDefaults().locale));
  await page.screenshot({ path: 'test-results/counts-completed-grouped.png' });
  expect(errors).toEqual([]);
});

test('a counted quantity the sheet cannot read ("2,1" in an en-GB company) says why, is kept, and Complete is refused until it is fixed', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = await onDemo(page);
  // The company writes numbers en-GB: a point for decimals.
  await page.getByRole('link', { name: /Company/ }).first().click();
  await expect(page.getByTestId('company-page')).toBeVisible();
  const name = page.getByTestId('company-name-input');
  if (!(await name.inputValue())) await name.fill('Harbour Kitchen');
  await page.getByTestId('company-locale').fill('en-GB');
  await page.getByTestId('company-locale').press('Enter');
  await expect(page.getByTestId('company-saved')).toBeVisible();

  // Counts → New count (a full count of the Kitchen) → a line of a kitchen prep counted in kg (3 decimals), Counted: "2,1", Tab
  await page.getByRole('link', { name: 'Counts' }).click();
  await page.getByRole('button', { name: 'New count' }).click();
  const kitchen = (await page.getByLabel('Count site').locator('option').allInnerTexts()).find((o) => /^Kitchen\b/.test(o));
  expect(kitchen).toBeDefined();
  await page.getByLabel('Count site').selectOption({ label: kitchen! });
  await page.getByRole('button', { name: 'Create' }).click();
  const sheet = page.getByTestId('count-sheet');
  await expect(sheet.getByTestId('count-status')).toHaveText('Draft');
  await expect(sheet).toContainText('full count');
  const editable = page.getByTestId('count-row').filter({ has: page.getByTestId('count-counted-input') });
  let lineId: string | null = null;
  // kitchen preps made in kg (demo-catalog KITCHEN_PREPS): the first whose line is on this count
  for (const prep of ['Pizza dough', 'Fresh egg pasta', 'Basil pesto', 'Beef ragù', 'Mashed potato', 'Garlic butter', 'Focaccia dough', 'Romesco', 'Aioli', 'Chimichurri']) {
    await page.getByLabel('Filter lines').fill(prep);
    await expect(page.getByTestId('count-row').first().or(page.getByTestId('count-no-rows'))).toBeVisible();
    await expect(async () => {
      for (const name of await page.getByTestId('count-row').locator('[role="gridcell"]:nth-child(2)').allInnerTexts()) expect(name).toContain(prep);
    }).toPass();
    for (let i = 0; lineId === null && i < (await editable.count()); i++) {
      if (decimals((await editable.nth(i).getByTestId('count-system').innerText()).trim()) === 3) lineId = await editable.nth(i).getAttribute('data-line-id');
    }
    if (lineId !== null) break;
  }
  expect(lineId).not.toBeNull();
  const row = page.locator(`[data-testid="count-row"][data-line-id="${lineId}"]`);
  const sku = (await row.getByTestId('count-sku').innerText()).trim();
  const input = row.getByTestId('count-counted-input');
  await input.fill('2,1');
  await input.press('Tab');

  // The cell says why, in words on screen and to a screen reader, and keeps what was typed.
  const problem = row.getByTestId('count-counted-problem');
  const why = 'Not saved: "2,1" uses a comma as decimal separator; use a point, e.g. 2.1';
  await expect(problem).toHaveText(why);
  await expect(problem).toBeVisible();
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toHaveAttribute('aria-describedby', (await problem.getAttribute('id'))!);
  await expect(input).toHaveAccessibleDescription(why);
  await expect(input).toHaveValue('2,1');
  await expect(row.getByTestId('count-variance')).toHaveText('—');
  await expect(page.getByTestId('count-unsaved-note')).toHaveText('1 counted quantity not saved');
  await page.screenshot({ path: 'test-results/counts-cell-unreadable.png' });

  // Complete is refused, naming the line; never "blank lines are skipped" for it. Hidden by a filter, the line keeps its
  // text, still blocks, and "Go to the line" brings it back and focuses it.
  await page.getByLabel('Filter lines').fill('no-such-line-zzz');
  await expect(page.getByTestId('count-no-rows')).toBeVisible();
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  const dialog = page.getByRole('dialog');
  const refused = dialog.getByTestId('count-complete-refused');
  await expect(refused).toContainText(`1 line holds a counted quantity that is not saved, so the count cannot be completed yet: ${sku} `);
  await expect(refused).toContainText('typed "2,1" — "2,1" uses a comma as decimal separator; use a point, e.g. 2.1. Correct it');
  await expect(dialog).not.toContainText('skipped');
  await expect(dialog.getByRole('button', { name: 'Complete and post' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/counts-complete-refused.png' });
  await dialog.getByRole('button', { name: 'Go to the line' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByLabel('Filter lines')).toHaveValue('');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('2,1');
  await expect(problem).toHaveText(why);
  await expect(sheet.getByTestId('count-status')).toHaveText('Draft');

  // Fixed to 2.1: saved, the message goes, Complete posts the line counted at 2.100.
  await input.fill('2.1');
  await input.press('Tab');
  await expect(problem).toHaveCount(0);
  await expect(input).not.toHaveAttribute('aria-invalid', /.*/);
  await expect(row.getByTestId('count-variance')).not.toHaveText('—');
  await expect(page.getByTestId('count-unsaved-note')).toHaveCount(0);
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page.getByRole('dialog').getByTestId('count-complete-refused')).toHaveCount(0);
  await page.getByRole('button', { name: 'Complete and post' }).click();
  await expect(sheet.getByTestId('count-status')).toHaveText('Completed');
  await expect(row.getByTestId('count-counted')).toHaveText('2.100');
  expect(errors).toEqual([]);
});

/** 'whole' when a <select> shows its chosen option's whole text (inside its padding, beside the chevron), else the measures: run in the page. */
function selectShowsWholeChoice(e: Element): string {
  const select = e as HTMLSelectElement;
  const css = getComputedStyle(select);
  const pen = document.createElement('canvas').getContext('2d')!;
  pen.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
  const text = pen.measureText(select.options[select.selectedIndex]!.text).width;
  const room = select.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
  return text <= room ? 'whole' : `text ${text} px in ${room} px`;
}
