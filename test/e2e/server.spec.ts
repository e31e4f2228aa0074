import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { e2ePort } from '../../playwright.config';

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
