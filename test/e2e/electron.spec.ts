import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

/** The Electron shell end to end. Runs wherever the Electron binary exists; this machine has none. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const pathFile = join(root, 'node_modules/electron/path.txt');
const binary = existsSync(pathFile) ? join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()) : null;

test('the Electron app opens Current Stock with a locked-down renderer', async () => {
  test.skip(!binary || !existsSync(binary), 'The Electron binary is not installed here (it cannot be downloaded on this machine); run on a desktop with Electron.');
  // Where Electron exists, build the shell the test launches (the CI machines never get here).
  if (!existsSync(join(root, 'out/main/main.js'))) {
    const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
    expect(build.status, 'npm run build must succeed before the Electron app can start').toBe(0);
  }
  const app = await electron.launch({ executablePath: binary!, args: [root], env: { ...process.env, STOCKBOOK_DB: join(root, '.tmp/electron-e2e.db') } });
  const win = await app.firstWindow();
  await expect(win.getByText('Stockbook').first()).toBeVisible();
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0]!;
    // getLastWebPreferences is public Electron API missing from some versions' typings
    const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences();
    return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration };
  });
  expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  await app.close();
});
