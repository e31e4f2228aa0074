import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { E2E_TOKEN, e2ePort } from '../../playwright.config';
import { setUpSiteAndProduct, typeProduct } from './masterdata-steps';

/**
 * Connection loss, in chromium against a real browser-mode server this spec stops (kill -9) and starts again on the
 * same ledger: the page shows the loss at once, a post made while down is refused and writes nothing, the page
 * reconnects by itself, and a post whose answer is lost on the way is answered by its idempotency key (one document).
 * The page's WebSocket goes through Playwright's WebSocket route, which passes every frame on and can drop the
 * server's replies and cut the line (as a pulled cable does).
 */
const PORT = e2ePort('connection');
let dir: string;
let server: ChildProcess | null = null;

async function startServer(): Promise<void> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/start-web.ts', '--port', String(PORT), '--db', join(dir, 'shop.db')], {
    env: { ...process.env, STOCKBOOK_WEB_TOKEN: E2E_TOKEN, STOCKBOOK_NO_DAILY_BACKUP: '1', STOCKBOOK_NO_FIRST_RUN: '1' },
  });
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  server = child;
  await expect.poll(() => output, { timeout: 120_000 }).toContain('Stockbook browser mode:');
}

async function killServer(): Promise<void> {
  const child = server!;
  server = null;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-e2e-connection-'));
  await startServer();
});

test.afterAll(async () => {
  if (server) await killServer();
  rmSync(dir, { recursive: true, force: true });
});

test('the server stops and comes back: the page says so at once, refuses a post while down, reconnects by itself, and a post whose answer was lost is posted once', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Every connection of the page passes through here; `holding` drops the server's frames (a reply that never arrives).
  let holding = false;
  const dropped: string[] = [];
  const sockets: WebSocketRoute[] = [];
  // `unreachable`: new connections are closed at once, as while the network is down.
  let unreachable = false;
  await page.routeWebSocket(/\/ipc/, (ws) => {
    if (unreachable) {
      void ws.close();
      return;
    }
    const upstream = ws.connectToServer();
    sockets.push(ws);
    upstream.onMessage((m) => {
      if (holding) dropped.push(String(m));
      else ws.send(m);
    });
  });

  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  // The window says which ledger it is on: this computer's file.
  await expect(page.getByTestId('status-ledger')).toHaveText('This computer: shop.db');
  await expect(page).toHaveTitle('Stockbook — shop.db');
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');

  // From the empty ledger: a site and a product.
  await setUpSiteAndProduct(page, { code: 'SHOP', kind: 'Shop', name: 'Corner shop' }, { sku: 'TEA-01', name: 'Breakfast tea' });

  // A receipt of 5, reviewed and ready to post.
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Corner shop' });
  await typeProduct(page, 'Line 1 product', 'TEA-01');
  await page.getByLabel('Line 1 quantity').fill('5');
  await page.getByLabel('Line 1 unit cost').fill('2.40');
  await page.getByRole('button', { name: 'Review' }).click();
  const post = page.getByRole('button', { name: 'Post', exact: true });
  await expect(post).toBeVisible();

  // The server stops: the page says so at once, in the banner and the status bar.
  await killServer();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('Lost the connection to Stockbook.');
  await expect(page.getByTestId('status-connection')).toHaveText('Not connected: nothing can be saved until it is back');
  // A post while down is refused at once, saying nothing was sent or saved; the review stays to post later.
  await post.click();
  const refusal = page.getByTestId('error-bar');
  await expect(refusal).toContainText('Not posted.');
  await expect(refusal).toContainText('Not connected to Stockbook: nothing was sent and nothing was saved.');
  await expect(page.getByTestId('op-result')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/connection-down-post-refused.png' });

  // The server starts again on the same ledger: the page reconnects by itself.
  await startServer();
  await expect(banner).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await page.screenshot({ path: 'test-results/connection-back.png' });

  // The post reaches the server, which commits it; its answer is lost, then the line is cut.
  holding = true;
  await post.click();
  await expect.poll(() => dropped.some((f) => f.includes('"kind":"reply"') && f.includes('"movementCount":1')), { timeout: 30_000 }).toBe(true);
  unreachable = true;
  for (const ws of sockets.splice(0)) await ws.close();
  holding = false;
  await expect(banner).toContainText('Lost the connection to Stockbook.');
  await expect(post).toBeDisabled();
  // The form says why the Post button waits, and that posting again is not needed.
  const waiting = page.getByTestId('post-waiting');
  await expect(waiting).toContainText('Sent, but the connection was lost before Stockbook answered.');
  await expect(waiting).toContainText('posted once, never twice');
  await expect(page.getByTestId('op-result')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/connection-answer-lost.png' });
  unreachable = false;
  // Back by itself; the post is sent again with its key and answered with the first posting: posted once.
  await expect(banner).toHaveCount(0, { timeout: 60_000 });
  const posted = page.getByTestId('op-result');
  await expect(posted).toContainText(/Posted Receipt .*: 1 movement\. Stockbook had already received it: posted once, nothing was posted twice\./, { timeout: 30_000 });
  await expect(refusal).toHaveCount(0);
  await expect(waiting).toHaveCount(0);
  await page.screenshot({ path: 'test-results/connection-posted-once.png' });

  // Exactly one document: the stock is 5, not 10, in one receipt.
  await page.getByRole('link', { name: /^Stock/ }).first().click();
  const row = page.getByTestId('stock-row').filter({ hasText: 'TEA-01' });
  await expect(row.getByTestId('stock-on-hand')).toContainText('5');
  await expect(row.getByTestId('stock-on-hand')).not.toContainText('10');
  expect(errors).toEqual([]);
});
