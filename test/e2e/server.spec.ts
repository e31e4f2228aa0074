import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { e2ePort } from '../../playwright.config';
import type { CallOutcome } from '../../shared/contract/transport';
import type { StartBridge } from '../../shared/ledger-start';
import { ledgerChoiceFile } from '../../electron/remote/desktop-ledger';
import { KnownServers } from '../../electron/remote/known-servers';
import { createLedgerStart } from '../../electron/remote/ledger-start';
import { downloadPinned } from '../../electron/remote/pinned-tls';
import { remoteDesktopWindow } from '../../electron/remote/remote-desktop';
import { parseServerAddress } from '../../electron/remote/server-address';
import { createDesktopServices, type DesktopUpdates } from '../../electron/shell/desktop-services';
import { fakeDialog, fakeShell } from '../fixtures/fake-electron';
import { setUpSiteAndProduct, twoWindows, typeProduct } from './masterdata-steps';

/**
 * A Stockbook server (`stockbook serve`, TLS, self-signed certificate made on first start) and chromium on another
 * "machine": the browser trusts the server's key by its SPKI hash (as a person trusts the printed fingerprint), signs in,
 * and the status bar and title name the server.
 */
const PORT = e2ePort('server');
const PASSWORD = 'e2e-server-password';
let dir: string;
let server: ChildProcess;
let output = '';
let browser: Browser;

const stockbook = (args: string[]) => spawnSync(process.execPath, ['bin/stockbook.mjs', ...args], { encoding: 'utf8', env: { ...process.env, STOCKBOOK_PASSWORD: PASSWORD } });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-e2e-server-'));
  const db = join(dir, 'office.db');
  expect(stockbook(['init', '--db', db]).status).toBe(0);
  // Without a user who has a password the server does not start: it says how to make one.
  const refused = stockbook(['serve', '--db', db, '--host', '127.0.0.1', '--port', String(PORT)]);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain('stockbook users add NAME --admin');
  expect(stockbook(['users', 'add', 'boss', '--admin', '--display-name', 'Office Boss', '--db', db]).status).toBe(0);
  expect(stockbook(['users', 'add', 'anna', '--admin', '--display-name', 'Anna Clerk', '--db', db]).status).toBe(0);
  server = spawn(process.execPath, ['bin/stockbook.mjs', 'serve', '--db', db, '--host', '127.0.0.1', '--port', String(PORT)], { env: { ...process.env, STOCKBOOK_NO_DAILY_BACKUP: '1' } });
  server.stdout!.on('data', (d) => (output += String(d)));
  server.stderr!.on('data', (d) => (output += String(d)));
  await expect.poll(() => output, { timeout: 180_000 }).toContain('connection log:');
  const spki = /SPKI SHA-256: (\S+?)\)/.exec(output)![1]!;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--ignore-certificate-errors-spki-list=${spki}`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await new Promise((r) => server?.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
});

test('a browser on another machine signs in to the server over TLS; the status bar and title name the server', async () => {
  expect(output).toMatch(/certificate SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`https://127.0.0.1:${PORT}/`);
  // No first-run open access over the network: the sign-in screen, and nothing of the ledger.
  const form = page.getByTestId('sign-in');
  await expect(form).toBeVisible({ timeout: 30_000 });
  // Over the network the user name is typed: the page is never told who the users are.
  await expect(form.getByRole('combobox')).toHaveCount(0);
  await expect(form).not.toContainText('Office Boss');
  const password = form.locator('input[type="password"]');
  await form.getByLabel('User name').fill('boss');
  await password.fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('error-bar')).toContainText('The user name or password is not right');
  await page.screenshot({ path: 'test-results/server-sign-in-typed.png' });
  await password.fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('status-ledger')).toHaveText(`Stockbook server 127.0.0.1:${PORT}`);
  await expect(page).toHaveTitle(`Stockbook — 127.0.0.1:${PORT}`);
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await page.screenshot({ path: 'test-results/server-signed-in.png' });
  // The server's log says who connected from where.
  const log = readFileSync(join(dir, 'office.server.log'), 'utf8');
  expect(log).toMatch(/sign-in FAILED: user boss from 127\.0\.0\.1:\d+/);
  expect(log).toMatch(/sign-in ok: user boss from 127\.0\.0\.1:\d+/);
});

/**
 * The desktop's start screen, on a real TLS server, with the real start steps and server client (electron/remote) run
 * here in place of Electron's main process; the page gets them as the preload gives them (window.stockbookStart and
 * window.stockbook). Only Electron's IPC is replaced (the Electron binary cannot run on this machine).
 */
test('the desktop starts on its start screen: connect to the server, confirm its fingerprint, sign in by name; a changed certificate is refused', async () => {
  const fingerprint = /certificate SHA-256 fingerprint: (\S+)/.exec(output)![1]!;
  const known = new KnownServers(join(dir, 'desktop-known-servers.json'));
  const desktopPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    let call = async (): Promise<CallOutcome> => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'Choose a ledger first.' } });
    const ledgerStart = createLedgerStart({
      choices: ledgerChoiceFile(join(dir, 'desktop-choice.json')),
      knownServers: known,
      openLocal: async () => {
        throw new Error('This test works on the server.');
      },
      onServer: (client) => {
        const win = remoteDesktopWindow({
          server: client,
          desktop: createDesktopServices({ dialog: fakeDialog([]), shell: fakeShell(), window: () => null, documentsDir: dir, writeFile: async () => undefined, updates: {} as DesktopUpdates }),
          download: (path, file) => downloadPinned(client.address, known.pinned(client.address)!, path, file),
          toWindow: (event, payload) => void page.evaluate(([e, p]) => (window as unknown as { sbEvent(e: string, p: unknown): void }).sbEvent(e as string, p), [event, payload]).catch(() => undefined),
        });
        call = win.call as typeof call;
      },
    });
    await page.exposeFunction('sbStart', (op: keyof StartBridge, ...args: string[]) => (ledgerStart[op] as (...a: string[]) => Promise<unknown>)(...args));
    await page.exposeFunction('sbInvoke', (method: string, input: unknown) => (call as (m: string, i: unknown) => Promise<CallOutcome>)(method, input));
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown> & { sbStart(...a: string[]): Promise<unknown>; sbInvoke(m: string, i: unknown): Promise<unknown> };
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      w.sbEvent = (e: string, p: unknown) => listeners.get(e)?.forEach((l) => l(p));
      w.stockbookStart = {
        view: () => w.sbStart('view'),
        chooseLocal: () => w.sbStart('chooseLocal'),
        connect: (a: string) => w.sbStart('connect', a),
        trust: (a: string, f: string) => w.sbStart('trust', a, f),
        back: () => w.sbStart('back'),
      };
      w.stockbook = {
        invoke: (m: string, i: unknown) => w.sbInvoke(m, i),
        on: (e: string, l: (p: unknown) => void) => {
          if (!listeners.has(e)) listeners.set(e, new Set());
          listeners.get(e)!.add(l);
          return () => listeners.get(e)!.delete(l);
        },
        connectionStatus: () => 'open',
        onConnectionStatus: () => () => undefined,
      };
    });
    await page.goto(`https://127.0.0.1:${PORT}/`);
    return page;
  };

  const page = await desktopPage();
  await expect(page.getByTestId('start-choose')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Use this computer' })).toBeVisible();
  await page.screenshot({ path: 'test-results/start-choose.png' });
  // Nothing answers there: said on the same screen, the address kept to correct.
  await page.getByLabel('Server address').fill('127.0.0.1:1');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('error-bar')).toContainText('Cannot reach the Stockbook server 127.0.0.1:1: nothing answers on that port');
  await page.getByLabel('Server address').fill(`127.0.0.1:${PORT}`);
  await page.getByRole('button', { name: 'Connect' }).click();
  // First connection: the fingerprint, the one `stockbook serve` printed, to compare before anything is sent.
  await expect(page.getByTestId('start-confirm')).toContainText(`Trust the Stockbook server 127.0.0.1:${PORT}?`);
  // Shown in two lines of sixteen pairs, to read aloud.
  await expect(page.getByTestId('start-fingerprint')).toContainText(fingerprint.split(':').slice(0, 16).join(':'));
  await expect(page.getByTestId('start-fingerprint')).toContainText(fingerprint.split(':').slice(16).join(':'));
  await expect(page.getByTestId('start-confirm')).toContainText('stockbook serve printed the server');
  expect(known.pinned(parseServerAddress(`127.0.0.1:${PORT}`))).toBeNull();
  await page.screenshot({ path: 'test-results/start-confirm.png' });
  await page.getByRole('button', { name: 'Trust and connect' }).click();
  // The click returns when the page has it; the pin is written by the desktop's handler a moment later.
  await expect.poll(() => known.pinned(parseServerAddress(`127.0.0.1:${PORT}`))).toBe(fingerprint);
  // The server's sign-in, the name typed; then the app names the server.
  const form = page.getByTestId('sign-in');
  await expect(form).toBeVisible();
  await form.getByLabel('User name').fill('boss');
  await form.locator('input[type="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('status-ledger')).toHaveText(`Stockbook server 127.0.0.1:${PORT}`);
  // Remembered for the next start (which connects straight away).
  expect(ledgerChoiceFile(join(dir, 'desktop-choice.json')).load()).toEqual({ kind: 'server', address: `127.0.0.1:${PORT}` });
  await page.close();

  // The pinned fingerprint no longer matches what the server presents (as after a swapped certificate): refused, both named.
  const key = `127.0.0.1:${PORT}`;
  const other = 'AA:'.repeat(31) + 'AA';
  writeFileSync(known.file, JSON.stringify({ servers: { [key]: { fingerprint: other, pinnedAt: '2026-11-30T09:00:00.000Z' } } }));
  const again = await desktopPage();
  await expect(again.getByTestId('start-choose')).toBeVisible({ timeout: 30_000 });
  await again.getByLabel('Server address').fill(key);
  await again.getByRole('button', { name: 'Connect' }).click();
  await expect(again.getByTestId('start-changed')).toContainText(`The certificate of ${key} has changed`);
  await expect(again.getByTestId('start-changed')).toContainText('Stockbook did not connect and sent nothing.');
  await expect(again.getByTestId('start-pinned')).toContainText('AA:AA');
  await expect(again.getByTestId('start-presented')).toContainText(fingerprint.slice(0, 23));
  await again.screenshot({ path: 'test-results/start-changed.png' });
  await again.getByRole('button', { name: 'Back' }).click();
  await expect(again.getByTestId('start-choose')).toBeVisible();
  await again.close();
});

/** Signs `page` in to the server as `name` (typed: over the network the page is never told who the users are). */
async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(`https://127.0.0.1:${PORT}/`);
  const form = page.getByTestId('sign-in');
  await expect(form).toBeVisible({ timeout: 30_000 });
  await form.getByLabel('User name').fill(name);
  await form.locator('input[type="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toHaveCount(0);
}

test('two people signed in to the server: a receipt by one shows on the other\'s Current Stock by itself; the second save of the same product is refused naming who changed it', async () => {
  test.setTimeout(240_000);
  const { a: boss, b: anna, errors } = await twoWindows(browser);
  await signIn(boss, 'boss');
  await signIn(anna, 'anna');
  await expect(boss.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  await setUpSiteAndProduct(boss, { code: 'SHOP', kind: 'Shop', name: 'High street' }, { sku: 'OIL-5L', name: 'Olive oil 5l' });

  // Anna watches Current Stock; the boss receives 4. Anna's window shows them without a refresh.
  await anna.getByRole('link', { name: /^Stock/ }).first().click();
  await boss.getByRole('link', { name: /Operations/ }).first().click();
  await expect(boss.getByRole('tab', { name: 'Receive' })).toBeVisible();
  await boss.getByLabel('Site', { exact: true }).selectOption({ label: 'High street' });
  await typeProduct(boss, 'Line 1 product', 'OIL-5L');
  await boss.getByLabel('Line 1 quantity').fill('4');
  await boss.getByLabel('Line 1 unit cost').fill('18.50');
  await boss.getByRole('button', { name: 'Review' }).click();
  await boss.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(boss.getByTestId('op-result')).toContainText('Posted Receipt');
  const row = anna.getByTestId('stock-row').filter({ hasText: 'OIL-5L' });
  await expect(row.getByTestId('stock-on-hand')).toContainText('4', { timeout: 10_000 });
  await anna.screenshot({ path: 'test-results/server-live-other-user.png' });

  // Both open the product; Anna renames it and saves first; the boss's save on the version he opened is refused, naming her.
  for (const p of [boss, anna]) {
    await p.getByRole('link', { name: /Products/ }).first().click();
    await p.getByTestId('product-row-OIL-5L').click();
    await p.getByTestId('product-edit').click();
    await expect(p.getByTestId('product-name')).toHaveValue('Olive oil 5l');
  }
  await anna.getByTestId('product-name').fill('Olive oil 5l (extra virgin)');
  await anna.getByTestId('product-save').click();
  await expect(anna.getByTestId('product-row-OIL-5L')).toContainText('extra virgin');
  await boss.getByTestId('product-low').fill('2');
  await boss.getByTestId('product-save').click();
  const refusal = boss.getByTestId('product-form').getByTestId('error-bar');
  await expect(refusal).toContainText('Product OIL-5L');
  await expect(refusal).toContainText(/was changed by Anna Clerk at .*\d{1,2}:\d{2}.* after you opened it, so your change was not saved\./);
  await expect(refusal.getByTestId('saved-now')).toHaveText('Saved now: Name “Olive oil 5l (extra virgin)”');
  await boss.screenshot({ path: 'test-results/server-refused-names-other-user.png' });
  expect(errors).toEqual([]);
});
