import { defineConfig } from '@playwright/test';

/** STOCKBOOK_E2E_PORT lets two e2e runs share a machine (each gets its own server and database). */
export const E2E_PORT = Number(process.env.STOCKBOOK_E2E_PORT ?? 4791);
const DB = `.tmp/e2e-${E2E_PORT}.db`;
export const E2E_TOKEN = 'e2e-token-for-playwright-only-0123456789';

/** End-to-end tests drive browser mode in Debian's chromium (never `playwright install`). */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `rm -f ${DB} ${DB}-wal ${DB}-shm && mkdir -p .tmp && node --import tsx electron/web/start-web.ts --port ${E2E_PORT} --db ${DB}`,
    url: `http://127.0.0.1:${E2E_PORT}/health`,
    env: { STOCKBOOK_WEB_TOKEN: E2E_TOKEN },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
