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
  await page.getByTestId('nav-stock').click();
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
  const site = page.getByLabel('Count site');
  await site.selectOption(await site.locator('option', { hasText: 'Bonded Cellar' }).getAttribute('value'));
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-sheet')).toBeVisible();
  const rows = page.getByTestId('count-row').filter({ has: page.getByTestId('count-counted-input') });
  await expect(rows.first()).toBeVisible();
  const skusOnSheet = (await page.getByTestId('count-sku').allInnerTexts()).map((s) => s.trim());
  const countable = (await rows.getByTestId('count-sku').allInnerTexts()).map((s) => s.trim());
  // a product counted by quantity (not serial/RFID) with exactly one line on the sheet
  const sku = countable.find((s) => skusOnSheet.indexOf(s) === skusOnSheet.lastIndexOf(s))!;
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
  // The expiry shows in the company's date format (day and month in its order).
  await expect(page.getByLabel('Line 1 expiry')).toHaveValue(/^(31[./-]01[./-]2028|01[./-]31[./-]2028)$/);
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

// --- A busy page: every typed key lands, in order; every scan arrives once and whole -----------------------------------

type CdpKey = { key: string; code?: string; text?: string; windowsVirtualKeyCode?: number; modifiers?: number };
/** One key event at `at` ms (by its own timestamp) from the start of a sequence. */
type KeyEvent = { type: 'down' | 'up'; k: CdpKey; at: number };
const CTRL = 2;
const SHIFT = 8;
const CONTROL_KEY: CdpKey = { key: 'Control', code: 'ControlLeft', windowsVirtualKeyCode: 17, modifiers: CTRL };
const SHIFT_KEY: CdpKey = { key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, modifiers: SHIFT };
const ENTER: CdpKey = { key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 };
const TAB: CdpKey = { key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 };
const charKey = (ch: string, modifiers = 0): CdpKey => ({ key: ch, text: ch, modifiers });
const tap = (k: CdpKey, at: number): KeyEvent[] => [
  { type: 'down', k, at },
  { type: 'up', k, at: at + 1 },
];

/**
 * Sends key events through CDP with explicit timestamps. paced: each is sent at its own time (a person at the keyboard),
 * without waiting for the page — keys queue up behind a busy page as they do in the OS. Otherwise all at once (a gun's
 * USB reports, already queued).
 */
let lastKeyAt = 0;
async function sendKeys(page: Page, events: KeyEvent[], paced: boolean): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  // A person needs a moment between their last key and pulling the trigger, and after a scan before typing again:
  // each sequence starts well after the previous one's last key (by timestamp; a gun's keys are stamped ahead of time).
  const pause = paced ? 40 : 150;
  const wait = lastKeyAt + pause - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const t0 = Date.now();
  lastKeyAt = t0 + Math.max(0, ...events.map((e) => e.at));
  const sent: Promise<unknown>[] = [];
  try {
    for (const e of events) {
      const wait = t0 + e.at - Date.now();
      if (paced && wait > 0) await new Promise((r) => setTimeout(r, wait));
      const timestamp = (t0 + e.at) / 1000;
      const { text, ...rest } = e.k;
      sent.push(
        cdp.send('Input.dispatchKeyEvent', e.type === 'up' ? { ...rest, type: 'keyUp', timestamp } : text ? { ...e.k, type: 'keyDown', timestamp } : { ...rest, type: 'rawKeyDown', timestamp }),
      );
    }
    await Promise.all(sent);
  } finally {
    await cdp.detach();
  }
  return events.filter((e) => e.type === 'down').length;
}

/** A person typing text (35–150 ms per key, capitals with Shift); '\n' is Enter, '\t' is Tab. */
function typing(text: string, seed: number): KeyEvent[] {
  let s = seed;
  const gap = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 35 + (s % 116);
  };
  const out: KeyEvent[] = [];
  let at = 0;
  for (const ch of text) {
    at += gap();
    if (ch === '\n') out.push(...tap(ENTER, at));
    else if (ch === '\t') out.push(...tap(TAB, at));
    else if (ch >= 'A' && ch <= 'Z') {
      out.push({ type: 'down', k: SHIFT_KEY, at: at - 20 }, ...tap(charKey(ch, SHIFT), at), { type: 'up', k: { ...SHIFT_KEY, modifiers: 0 }, at: at + 5 });
    } else out.push(...tap(charKey(ch), at));
  }
  return out;
}

/** A gun's keys, 5 ms apart by timestamp: Shift before capitals, GS as Ctrl+] (Control keydown first), Enter at the end. */
function gunKeys(code: string): KeyEvent[] {
  const out: KeyEvent[] = [];
  let at = 0;
  for (const ch of code) {
    if (ch === '\u001d') {
      out.push({ type: 'down', k: CONTROL_KEY, at }, ...tap({ key: ']', code: 'BracketRight', windowsVirtualKeyCode: 221, modifiers: CTRL }, at + 1), { type: 'up', k: { ...CONTROL_KEY, modifiers: 0 }, at: at + 3 });
    } else if (ch >= 'A' && ch <= 'Z') {
      out.push({ type: 'down', k: SHIFT_KEY, at }, ...tap(charKey(ch, SHIFT), at + 1), { type: 'up', k: { ...SHIFT_KEY, modifiers: 0 }, at: at + 3 });
    } else out.push(...tap(charKey(ch), at));
    at += 5;
  }
  out.push(...tap(ENTER, at));
  return out;
}

/** Keeps the page's main thread busy: 40–200 ms busy loops with 10–50 ms breaks, until stopped. */
const BUSY_ON = `(() => { window.__busyOn = true; const spin = () => { if (!window.__busyOn) return; const end = performance.now() + 40 + Math.random() * 160; while (performance.now() < end) {} setTimeout(spin, 10 + Math.random() * 40); }; setTimeout(spin, 0); })()`;
const BUSY_OFF = `(() => { window.__busyOn = false; })()`;

const logSince = async (page: Page, seq: number) => (await scanLog(page)).filter((l) => l[0] > seq);
const lastSeq = async (page: Page) => Math.max(0, ...(await scanLog(page)).map((l) => l[0]));

test('a busy page loses no keystroke: typing lands whole and in order, scans arrive once and whole', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let keys = 0;
  let scans = 0;
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('link', { name: 'Counts' }).click();
  await page.getByRole('button', { name: 'New count' }).click();
  const site = page.getByLabel('Count site');
  await site.selectOption(await site.locator('option', { hasText: 'Central Warehouse' }).getAttribute('value'));
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-sheet')).toBeVisible();
  await expect(page.getByTestId('count-sheet').getByText('Central Warehouse · full count')).toBeVisible();
  const inputs = page.getByTestId('count-counted-input');
  await expect(inputs.nth(8)).toBeVisible();
  const rows = page.getByTestId('count-row').filter({ has: inputs });
  // The first six rows are typed into; the gun scans one of the next rows shown whose product has one line on the sheet.
  const shown = Math.min(await rows.count(), 20);
  const rowSkus = await Promise.all(Array.from({ length: shown }, (_, i) => rows.nth(i).getByTestId('count-sku').innerText()));
  const allSkus = (await page.getByTestId('count-sku').allInnerTexts()).map((s) => s.trim());
  // the gun scans a product with one line on the sheet, not among the rows typed into
  const scanned = rowSkus.map((s) => s.trim()).slice(6).find((s) => allSkus.indexOf(s) === allSkus.lastIndexOf(s));
  expect(scanned, 'a product with a single line on the sheet').toBeTruthy();
  await page.waitForLoadState('networkidle');

  await page.evaluate(BUSY_ON);
  try {
    // --- counted cells: a person types quantities (Enter saves and moves down), a scan fires in the middle of one
    const quantities = ['91', '140', '7', '2205', '36', '1203'];
    await inputs.first().click();
    const seq0 = await lastSeq(page);
    const gun = async () => {
      keys += await sendKeys(page, gunKeys(scanned!), false);
      scans++;
    };
    // scans land in the middle of a number, right after an Enter, back to back, and mid-number again
    keys += await sendKeys(page, typing('91\n14', 1), true);
    await gun();
    keys += await sendKeys(page, typing('0\n', 2), true);
    await gun();
    await gun();
    keys += await sendKeys(page, typing('7\n22', 3), true);
    await gun();
    keys += await sendKeys(page, typing('05\n36\n1203\n', 4), true);
    // saved and shown formatted (2,205.000): compare the number
    for (let i = 0; i < quantities.length; i++) {
      await expect.poll(async () => (await inputs.nth(i).inputValue()).replace(/,/g, '')).toMatch(new RegExp(`^${quantities[i]}(\\.0+)?$`));
    }
    await expect.poll(async () => (await logSince(page, seq0)).map((l) => l[1])).toEqual([scanned, scanned, scanned, scanned]);
    const scannedRow = page.getByTestId('count-row').filter({ has: page.getByTestId('count-sku').getByText(scanned!, { exact: true }) });
    await expect(scannedRow.getByTestId('count-counted-input')).toHaveValue(/^4(\.0+)?$/);

    // --- the serial/RFID codes dialog: scans (Shift capitals, a GS1 code with its GS as Ctrl+]) and typing, all recorded once
    await page.getByLabel('Filter lines').fill('release'); // the demo's serial-tracked spirits ("… 2019 release 70cl")
    await page.getByTestId('count-codes-button').first().click();
    const codeBox = page.getByLabel('Code to add');
    await expect(codeBox).toBeFocused();
    const seq1 = await lastSeq(page);
    const serialScans = ['E2E-SN-1', 'E2E-SN-2', ']d2010950110153000310LOT1\u001d21E2E-SN-3', 'E2E-SN-4', 'E2E-SN-5'];
    for (const code of serialScans.slice(0, 3)) {
      keys += await sendKeys(page, gunKeys(code), false);
      scans++;
    }
    keys += await sendKeys(page, typing('e2e-', 5), true);
    for (const code of serialScans.slice(3)) {
      keys += await sendKeys(page, gunKeys(code), false);
      scans++;
    }
    keys += await sendKeys(page, typing('typed-6\n', 6), true);
    await expect(page.getByTestId('count-code')).toHaveText(['E2E-SN-1', 'E2E-SN-2', 'E2E-SN-3', 'E2E-SN-4', 'E2E-SN-5', 'e2e-typed-6'].map((c) => new RegExp(`^${c}`)), { timeout: 15_000 });
    await expect(codeBox).toHaveValue('');
    const dialogLog = await logSince(page, seq1);
    // (the log shows each code as read, its AIM prefix ]d2 taken off and the GS kept: whole, not split at the Ctrl+])
    expect(dialogLog.map((l) => l[1])).toEqual(['E2E-SN-1', 'E2E-SN-2', '010950110153000310LOT1\u001d21E2E-SN-3', 'E2E-SN-4', 'E2E-SN-5']);
    expect(dialogLog.every((l) => l[2] === 'handled')).toBe(true);
    await page.getByRole('button', { name: 'Done' }).click();

    // --- the operations product box: a typed SKU lands whole and Tab takes exactly it; a SKU's prefix is no product
    const products = await call<{ sku: string; unit: string }[]>('operations.products', { search: '', limit: 200 });
    const bySku = new Set(products.map((p) => p.sku));
    const target = products.find((p) => !bySku.has(p.sku.slice(0, -1)) && products.filter((q) => q.sku.startsWith(p.sku.slice(0, -1))).length > 1)!;
    expect(target, 'a SKU whose prefix is shared and is no SKU itself').toBeTruthy();
    const prefix = target.sku.slice(0, -1);
    await page.getByRole('link', { name: /Operations/ }).first().click();
    await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
    const box = page.getByRole('combobox', { name: 'Line 1 product' });
    await box.click();
    keys += await sendKeys(page, typing(prefix, 7), true);
    await expect(box).toHaveValue(prefix);
    keys += await sendKeys(page, typing('\t', 8), true);
    await expect(page.getByTestId('pick-product')).toContainText('Pick a product');
    await expect(page.getByLabel('Line 1 quantity')).toHaveAttribute('placeholder', '');
    await page.screenshot({ path: 'test-results/scanning-pick-product.png' });
    await box.click();
    await box.press('Control+a');
    keys += await sendKeys(page, typing(`${target.sku}\t`, 9), true);
    await expect(box).toHaveValue(target.sku);
    await expect(page.getByTestId('pick-product')).toHaveCount(0);
    await expect(page.getByLabel('Line 1 quantity')).toHaveAttribute('placeholder', target.unit);
    // an option highlighted with the arrow keys is what Enter takes: the first one in the list
    await box.press('Control+a');
    keys += await sendKeys(page, typing(prefix, 10), true);
    await expect(box).toHaveValue(prefix);
    const first = page.getByRole('listbox').getByRole('option').first();
    await expect(first).toContainText(`${prefix}`);
    const firstSku = (await first.innerText()).split(' — ')[0]!.trim();
    await box.press('ArrowDown');
    await box.press('Enter');
    await expect(box).toHaveValue(firstSku);
    await expect(page.getByTestId('pick-product')).toHaveCount(0);
  } finally {
    await page.evaluate(BUSY_OFF);
  }
  console.log(`busy page: ${keys} keys typed or scanned, ${scans} scans, none lost, reordered, split or doubled`);
  expect(errors).toEqual([]);
});
