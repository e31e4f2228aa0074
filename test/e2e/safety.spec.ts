import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { e2ePort, E2E_TOKEN } from '../../playwright.config';

const E2E_PORT = e2ePort('safety');

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'e2e-admin-password';

/** Calls the contract over a fresh browser-mode session (its own sign-in), as a script would. */
async function call(method: string, input: unknown, signIn = true): Promise<{ ok: boolean; result?: unknown; error?: { message: string } }> {
  const ws = new WebSocket(`ws://127.0.0.1:${E2E_PORT}/ipc?token=${E2E_TOKEN}`);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  let id = 0;
  const send = (m: string, i: unknown) =>
    new Promise<{ ok: boolean; result?: unknown; error?: { message: string } }>((resolve) => {
      const my = ++id;
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { kind: string; id: number; outcome: { ok: boolean } };
        if (f.kind === 'reply' && f.id === my) resolve(f.outcome);
      });
      ws.send(JSON.stringify({ kind: 'call', id: my, method: m, input: i }));
    });
  try {
    if (signIn) await send('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD });
    return await send(method, input);
  } finally {
    ws.close();
  }
}

async function openSettings(page: Page) {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.goto('/#/settings');
  // "Connecting…" can last several seconds on a busy machine: the window is open once its heading shows.
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible({ timeout: 30_000 });
}

test.afterAll(async () => {
  // Leave the shared e2e database open to anyone again, as the other specs expect.
  await call('users.clearSecret', { username: 'admin', kind: 'password' });
});

test('Settings: back up now, the last good backup and the audit log', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openSettings(page);
  await expect(page.getByTestId('backup-stale')).toContainText(/No backup yet|over two days/, { timeout: 30_000 });
  await expect(page.getByTestId('open-access')).toBeVisible();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-notice')).toContainText(/Backed up to .*stockbook-.*-manual\.db/, { timeout: 30_000 });
  await expect(page.getByTestId('last-backup')).toContainText(/Last good backup (just now|1 minute ago)/);
  await expect(page.getByTestId('backup-stale')).toHaveCount(0);
  await expect(page.getByTestId('backup-row').first()).toContainText('On demand');
  await expect(page.getByTestId('audit-row').first()).toContainText('backup');
  await page.screenshot({ path: 'test-results/settings-safety.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a password turns sign-in on: wrong password refused, right one lets in, lock and unlock', async ({ page, browser }) => {
  await openSettings(page);
  await page.getByLabel('New password (8+ characters)', { exact: true }).fill(PASSWORD);
  await page.getByLabel('The same password again', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('Your password was set: from now on you sign in with it.')).toBeVisible();
  await expect(page.getByTestId('open-access')).toHaveCount(0);

  // A new connection is a new session: it must sign in.
  const other = await browser.newPage();
  // The refusal is held back, as on a slow line, to show that what the user types meanwhile is kept.
  const held: string[] = [];
  let release: ((m: string) => void) | null = null;
  await other.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer();
    release = (m) => ws.send(m);
    server.onMessage((m) => {
      if (typeof m === 'string' && m.includes('The user name or password is not right')) held.push(m);
      else ws.send(m);
    });
  });
  await other.goto(`/#token=${E2E_TOKEN}`);
  const form = other.getByTestId('sign-in');
  await expect(form).toBeVisible({ timeout: 15_000 });
  await expect(other.getByTestId('stock-row')).toHaveCount(0);
  await other.getByLabel('Password').fill('not-the-password');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => held.length, { timeout: 15_000 }).toBe(1);
  await other.getByLabel('Password').fill(PASSWORD);
  release!(held[0]!);
  await expect(other.getByTestId('error-bar')).toContainText('The user name or password is not right');
  await expect(other.getByLabel('Password')).toHaveValue(PASSWORD);
  await other.screenshot({ path: 'test-results/sign-in.png' });
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toHaveCount(0);
  await expect(other.getByTestId('current-user')).toBeVisible();

  // Lock now: the lock screen, then unlock with the password.
  await other.goto('/#/settings');
  await other.getByRole('button', { name: 'Lock now' }).click();
  await expect(other.getByText('Stockbook is locked')).toBeVisible();
  await other.getByLabel('Password').fill(PASSWORD);
  await other.getByRole('button', { name: 'Unlock' }).click();
  await expect(other.getByTestId('audit-row').first()).toBeVisible();
  await expect(other.getByTestId('audit-table')).toContainText('sign-in-failed');
  await other.close();

  // Over the socket, a session that has not signed in gets nothing.
  const refused = await call('sites.list', {}, false);
  expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not signed in/) } });
});

test('Settings → Users: disable a user after a confirm (their open window shows the sign-in screen at once, saying why; they cannot sign in again), then enable them again', async ({ page, browser }) => {
  expect(await call('users.create', { username: 'porter', displayName: 'Night Porter', permissions: ['read:stock'] })).toMatchObject({ ok: true });
  expect(await call('users.setSecret', { username: 'porter', kind: 'pin', secret: '2468' })).toMatchObject({ ok: true });
  const signIn = async (p: Page, username: string, kind: 'Password' | 'PIN', secret: string) => {
    await p.goto(`/#token=${E2E_TOKEN}`);
    await expect(p.getByTestId('sign-in')).toBeVisible({ timeout: 15_000 });
    await p.getByLabel('User', { exact: true }).selectOption(username);
    // (a user with only a PIN or only a password is asked for that one)
    await p.getByRole('textbox', { name: kind, exact: true }).fill(secret);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect(p.getByTestId('current-user')).toBeVisible();
  };
  const porter = await browser.newPage();
  await signIn(porter, 'porter', 'PIN', '2468');
  // Posting needs "Post to finance", which porter lacks: the window says so once, and asks main nothing it would refuse.
  await porter.goto(`/#/posting`);
  await expect(porter.getByTestId('posting-not-permitted')).toContainText('need the “Post to finance” permission, which Night Porter does not have');
  await expect(porter.getByText('Posting could not run.')).toHaveCount(0);
  await porter.screenshot({ path: 'test-results/posting-not-permitted.png' });
  // Stock documents too: porter may look, and is told which permission posting needs and whom to ask for it.
  await porter.goto(`/#/operations`);
  await expect(porter.getByTestId('no-post-permission')).toHaveText(
    'You can look, but posting needs the “Post stock movements” permission. Ask an administrator for it (Settings → Users).',
  );
  await porter.screenshot({ path: 'test-results/operations-not-permitted.png' });
  // Every other window's refusal says the same: which permission, and whom to ask for it where.
  const ask = 'Ask an administrator for it (Settings → Users).';
  await porter.goto(`/#/company`);
  await expect(porter.getByTestId('company-form')).toContainText(`Changing the company settings needs the “Change company settings” permission. ${ask}`);
  await porter.screenshot({ path: 'test-results/company-not-permitted.png' });
  await porter.goto(`/#/counts`);
  await expect(porter.getByText(`You can view counts but not create them: that needs the “Count stock” permission. ${ask}`)).toBeVisible();
  await porter.screenshot({ path: 'test-results/counts-not-permitted.png' });
  await signIn(page, 'admin', 'Password', PASSWORD);
  await page.goto('/#/settings');

  const status = page.getByTestId('user-status-porter');
  await expect(status).toContainText('Active');
  await expect(page.getByRole('button', { name: 'Disable admin' })).toBeDisabled();
  // Cancel changes nothing.
  await status.getByRole('button', { name: 'Disable porter' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Disable Night Porter (porter)?');
  await expect(dialog).toContainText('cannot sign in until a user manager enables them again');
  await page.screenshot({ path: 'test-results/settings-user-disable-confirm.png', fullPage: true });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(status).toContainText('Active');

  await status.getByRole('button', { name: 'Disable porter' }).click();
  await dialog.getByRole('button', { name: 'Disable porter' }).click();
  await expect(status).toContainText('Disabled');
  await expect(status.getByRole('button', { name: 'Enable porter' })).toBeVisible();
  await page.screenshot({ path: 'test-results/settings-user-disabled.png', fullPage: true });

  // The porter's window (another browser context, doing nothing): the server signs it out and it shows the sign-in
  // screen with why (session.signedOut), without waiting for its next call or the status poll.
  await expect(porter.getByTestId('sign-in')).toBeVisible();
  await expect(porter.getByTestId('current-user')).toHaveCount(0);
  await expect(porter.getByTestId('signed-out-bar')).toHaveText(
    'You were signed out because an administrator disabled the user porter. Ask an administrator to enable porter again, or sign in as another user.',
  );
  // It cannot sign in again: the user is no longer offered, and signing in with the porter's own PIN says why and what to do.
  await expect(porter.getByLabel('User', { exact: true }).locator('option', { hasText: '(porter)' })).toHaveCount(0);
  await porter.screenshot({ path: 'test-results/sign-in-user-disabled.png' });
  expect(await call('auth.signIn', { username: 'porter', kind: 'pin', secret: '2468' }, false)).toMatchObject({
    ok: false,
    error: { message: 'The user porter is disabled, so it cannot sign in. Ask an administrator to enable porter again, or sign in as another user.' },
  });
  expect(await call('users.list', {})).toMatchObject({ ok: true, result: expect.arrayContaining([expect.objectContaining({ username: 'porter', active: false })]) });
  await porter.close();

  await status.getByRole('button', { name: 'Enable porter' }).click();
  await expect(dialog).toContainText('Enable Night Porter (porter)?');
  await dialog.getByRole('button', { name: 'Enable porter' }).click();
  await expect(status).toContainText('Active');
  const audit = (await call('audit.list', { limit: 20 })) as { result: { action: string; detail: { username?: string } }[] };
  expect(audit.result.filter((e) => e.detail.username === 'porter').map((e) => e.action).slice(0, 2)).toEqual(['user-enabled', 'user-disabled']);
});
