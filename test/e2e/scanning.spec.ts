import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { e2ePort, E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

/**
 * A keyboard-wedge scan: keys 5 ms apart as a gun sends them, F8 for each GS1 separator, then Enter.
 * The keys go to chromium in one pipelined burst with explicit event timestamps (CDP), as USB key reports
 * queue up in the OS: the page sees a gun's spacing however busy the test machine is.
 */
async function scan(page: Page, code: string): Promise<void> {
  type Key = { key: string; code?: string; text?: string; windowsVirtualKeyCode?: number };
  const keys: Key[] = [...code].map((ch) => (ch === '\u001d' ? { key: 'F8', code: 'F8', windowsVirtualKeyCode: 119 } : { key: ch, text: ch }));
  keys.push({ key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 });
  const cdp = await page.context().newCDPSession(page);
  try {
    const t0 = Date.now() / 1000;
    await Promise.all(
      keys.flatMap((k, i) => [
        cdp.send('Input.dispatchKeyEvent', { ...k, type: k.text ? 'keyDown' : 'rawKeyDown', timestamp: t0 + i * 0.005 }),
        cdp.send('Input.dispatchKeyEvent', { key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, type: 'keyUp', timestamp: t0 + i * 0.005 + 0.001 }),
      ]),
    );
  } finally {
    await cdp.detach();
  }
}

const scanLog = async (page: Page) => JSON.parse((await page.getByTestId('scan-log').getAttribute('data-log')) ?? '[]') as [number, string, string][];

/** Calls the contract over the browser-mode WebSocket, as a script would. */
async function call<R>(method: string, input: unknown): Promise<R> {
  const ws = new WebSocket(`ws://127.0.0.1:${e2ePort('scanning')}/ipc?token=${E2E_TOKEN}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    return await new Promise<R>((resolve, reject) => {
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { kind: string; id: number; outcome: { ok: boolean; result?: R; error?: { message: string } } };
        if (f.kind !== 'reply' || f.id !== 1) return;
        if (f.outcome.ok) resolve(f.outcome.result as R);
        else reject(new Error(`${method}: ${f.outcome.error?.message}`));
      });
      ws.send(JSON.stringify({ kind: 'call', id: 1, method, input }));
    });
  } finally {
    ws.close();
  }
}

function ean13(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[11 - i]) * (i % 2 === 0 ? 3 : 1);
  return body12 + String((10 - (sum % 10)) % 10);
}

async function skus(page: Page, n: number): Promise<string[]> {
  await page.getByRole('link', { name: 'Stock' }).click();
  await expect(page.getByTestId('stock-row').nth(n)).toBeVisible();
  const all = (await page.getByTestId('stock-sku').allInnerTexts()).map((s) => s.trim());
  return [...new Set(all)].slice(0, n);
}

test('wedge scans at scanner speed are routed; human typing stays typing; 10 scans in a second all handled in order', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('button', { name: 'Load demo data' }).click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 90_000 });
  // Settings → Scanner: the default 30 ms gap, saved through the Settings page (scans keep a gun's 5 ms spacing in
  // KeyboardEvent.timeStamp, see scan()); 120 ms typing stays typing.
  await page.getByRole('link', { name: 'Settings' }).click();
  const gap = page.getByRole('spinbutton', { name: /Max gap/ });
  await gap.fill('30');
  await gap.press('Tab');
  await page.getByTestId('scanner-save').click();
  await expect(page.getByText('Saved.')).toBeVisible();
  const codes = await skus(page, 10);
  expect(codes).toHaveLength(10);

  // --- Enquiry: a scan into the focused search box searches for it and never lands in the field as typing
  await page.getByRole('link', { name: 'Enquiry' }).click();
  const search = page.getByTestId('mv-search');
  await expect(page.getByTestId('mv-count')).toContainText('movements');
  await search.click();
  await scan(page, codes[0]!);
  await expect(page.getByTestId('scan-notice')).toContainText(`Searching movements for ${codes[0]}`);
  await expect(search).toHaveValue(codes[0]!);

  // human typing (120 ms between keys) stays typing, Enter included
  await search.fill('');
  const before = (await scanLog(page)).length;
  await page.keyboard.type('rice', { delay: 120 });
  await page.keyboard.press('Enter');
  await expect(search).toHaveValue('rice');
  expect((await scanLog(page)).length).toBe(before);

  // 10 scans within one second: each handled once, in order
  await search.fill('');
  const started = Date.now();
  for (const code of codes) await scan(page, code);
  const typingMs = Date.now() - started;
  await expect.poll(async () => (await scanLog(page)).length).toBe(before + 10);
  const log = (await scanLog(page)).slice(-10);
  expect(log.map((l) => l[1])).toEqual(codes);
  expect(log.map((l) => l[0])).toEqual([...log.map((l) => l[0])].sort((a, b) => a - b));
  expect(log.every((l) => l[2] === 'handled')).toBe(true);
  await expect(search).toHaveValue(codes[9]!);
  console.log(`10 wedge scans typed in ${typingMs} ms`);

  // --- an unknown barcode is said so, and can be attached to a product; the next scan finds it
  const unknown = ean13('509999000001');
  await scan(page, unknown);
  await expect(page.getByTestId('scan-notice')).toContainText('No product has the barcode');
  await page.getByTestId('scan-attach').click();
  const picker = page.getByRole('combobox', { name: 'Product for the barcode' });
  await picker.click();
  await picker.pressSequentially(codes[1]!, { delay: 120 });
  await page.getByRole('option').filter({ hasText: `${codes[1]} — ` }).first().click();
  await page.getByTestId('attach-confirm').click();
  await expect(page.getByTestId('scan-notice')).toContainText(`now belongs to ${codes[1]}`);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  // a GS1 DataMatrix of that GTIN with a lot: Enquiry searches the lot
  await scan(page, `]d201${unknown.padStart(14, '0')}17271231` + `10E2E-LOT\u001d21SN1`);
  await expect(search).toHaveValue('E2E-LOT');
  await expect(page.getByTestId('scan-notice')).toContainText(codes[1]!);
  await page.screenshot({ path: 'test-results/scanning-enquiry.png' });
  expect(errors).toEqual([]);
});

test('Counts: scans count the line, human typing in the scan box stays typing', async ({ page }) => {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('link', { name: 'Counts' }).click();
  await page.getByRole('button', { name: 'New count' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-sheet')).toBeVisible();
  const rows = page.getByTestId('count-row').filter({ has: page.getByTestId('count-counted-input') });
  await expect(rows.first()).toBeVisible();
  const skusOnSheet = (await page.getByTestId('count-sku').allInnerTexts()).map((s) => s.trim());
  // a product with exactly one line on the sheet
  const sku = skusOnSheet.find((s, i) => skusOnSheet.indexOf(s) === i && skusOnSheet.lastIndexOf(s) === i)!;
  expect(sku).toBeTruthy();
  const scanBox = page.getByLabel('Scan code');
  await expect(page.getByTestId('count-summary')).toContainText('counted');
  await page.waitForLoadState('networkidle');
  await scanBox.click();
  await page.waitForTimeout(200); // let the freshly created sheet finish rendering before the gun fires
  const before = (await scanLog(page)).length;
  // three scans in a row: routed through counts.scan, each once
  for (let i = 0; i < 3; i++) await scan(page, sku);
  await expect.poll(async () => (await scanLog(page)).length).toBe(before + 3);
  const note = page.getByTestId('count-scan-note');
  await expect(note).toContainText(sku);
  await expect(scanBox).toHaveValue('');
  await page.getByLabel('Filter lines').fill(sku);
  const row = page.getByTestId('count-row').filter({ has: page.getByTestId('count-sku').getByText(sku, { exact: true }) });
  await expect(row.getByTestId('count-counted-input')).toHaveValue(/^3(\.0+)?$/);

  // a person typing the code slowly into the scan box: it stays typing, and their Enter scans it once more
  await scanBox.click();
  await page.keyboard.type(sku, { delay: 120 });
  await expect(scanBox).toHaveValue(sku);
  expect((await scanLog(page)).length).toBe(before + 3);
  await page.keyboard.press('Enter');
  await expect(row.getByTestId('count-counted-input')).toHaveValue(/^4(\.0+)?$/);
  await page.screenshot({ path: 'test-results/scanning-counts.png' });
});

test('Receive: a GS1 scan adds a line with batch and expiry; Settings shows the parsed fields', async ({ page }) => {
  // a LOT product from the demo data gets a barcode of its own through the contract
  const products = await call<{ id: number; sku: string; tracking: string }[]>('operations.products', { search: '', limit: 200 });
  const lot = products.find((p) => p.tracking === 'LOT');
  expect(lot, 'the demo data has a LOT product').toBeTruthy();
  const lotGtin = ean13('509999000002');
  await call('scanner.attachBarcode', { productId: lot!.id, barcode: lotGtin });

  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
  const gtin = ean13('509999000001').padStart(14, '0');
  const gtinLot = lotGtin.padStart(14, '0');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await scan(page, `]d201${gtinLot}17280131` + `10RCV-LOT-1\u001d3005`);
  await scan(page, `]d201${gtinLot}17280131` + `10RCV-LOT-1\u001d3002`);
  await expect(page.getByTestId('scan-notice')).toContainText(lot!.sku);
  await expect(page.getByLabel('Line 1 quantity')).toHaveValue(/^7(\.0+)?$/);
  const batch = page.getByLabel('Line 1 batch');
  await expect(batch).toBeEnabled();
  await expect(batch).toHaveValue('RCV-LOT-1');
  await expect(page.getByLabel('Line 1 expiry')).toHaveValue('2028-01-31');
  await page.screenshot({ path: 'test-results/scanning-receive.png' });

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('scanner-driver')).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await scan(page, `]C1${gtin}`.replace(']C1', ']C101') + `10L9\u001d3712`);
  await expect(page.getByTestId('scan-fields')).toContainText('GS1-128');
  await expect(page.getByTestId('scan-fields')).toContainText('L9');
  await page.getByTestId('scanner-test').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/scanning-settings.png', fullPage: true });
});
