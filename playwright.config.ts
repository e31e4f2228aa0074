import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive browser mode in Debian's chromium (never `playwright install`).
 * Every spec file is its own project with its own server and empty database, so specs never see each
 * other's data or sign-in state. STOCKBOOK_E2E_PORT moves the port range (two runs on one machine);
 * STOCKBOOK_E2E_ONLY picks specs.
 */
export const E2E_TOKEN = 'e2e-token-for-playwright-only-0123456789';
const BASE_PORT = Number(process.env.STOCKBOOK_E2E_PORT ?? 4791);
const SPECS = ['counts', 'current-stock', 'enquiry-reports', 'enquiry', 'operations', 'posting', 'safety', 'scanning', 'masterdata', 'suppliers', 'products', 'company', 'products-window', 'recipes', 'catalog', 'new-business', 'oncost-posting', 'keyboard', 'exports', 'backdated', 'format', 'accessibility', 'long-tasks', 'server', 'live', 'connection', 'concurrent', 'new-business-pg', 'window-opening', 'drafts', 'serial-history'] as const;
/** Specs that start their own server process: a Stockbook server (TLS, `stockbook serve`), or browser mode they stop and restart. */
const OWN_SERVER_SPECS: readonly string[] = ['server', 'connection'];
const TLS_SPECS: readonly string[] = ['server'];
/** Specs that meet the first-run assistant on their empty database; the others start with it switched off. */
const FIRST_RUN_SPECS: readonly string[] = ['company', 'new-business', 'new-business-pg'];
/** Specs whose server runs in another time zone and locale than their browser (the set-up proposes the browser's). */
const SERVER_ZONE: Partial<Record<string, Record<string, string>>> = { company: { TZ: 'America/New_York', LANG: 'en_US.UTF-8' } };
/** Specs whose browser mode runs on a throw-away PostgreSQL cluster (test/e2e/pg-web-server.ts) instead of a ledger file. */
const PG_SPECS: readonly string[] = ['new-business-pg'];

export const e2ePort = (spec: (typeof SPECS)[number]) => BASE_PORT + SPECS.indexOf(spec);
/** STOCKBOOK_E2E_ONLY=products,catalog runs those specs and starts only their servers (each keeps its port). */
const ONLY = (process.env.STOCKBOOK_E2E_ONLY ?? '').split(',').filter(Boolean);
const RUN = ONLY.length ? SPECS.filter((s) => ONLY.includes(s)) : SPECS;

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    ...RUN.map((spec) => ({ name: spec, testMatch: `${spec}.spec.ts`, use: { baseURL: `${TLS_SPECS.includes(spec) ? 'https' : 'http'}://127.0.0.1:${e2ePort(spec)}` } })),
    ...(ONLY.length && !ONLY.includes('electron') ? [] : [{ name: 'electron', testMatch: 'electron.spec.ts' }]),
  ],
  webServer: RUN.filter((spec) => !OWN_SERVER_SPECS.includes(spec)).map((spec) => {
    const port = e2ePort(spec);
    const db = `.tmp/e2e-${port}.db`;
    return {
      command: PG_SPECS.includes(spec)
        ? `node --import tsx test/e2e/pg-web-server.ts ${port}`
        : `rm -f ${db} ${db}-wal ${db}-shm && mkdir -p .tmp && node --import tsx electron/web/start-web.ts --port ${port} --db ${db}`,
      // The PostgreSQL specs' wrapper stops its server, then its cluster: it is asked, not killed.
      gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 15_000 },
      url: `http://127.0.0.1:${port}/health`,
      env: { STOCKBOOK_WEB_TOKEN: E2E_TOKEN, STOCKBOOK_NO_DAILY_BACKUP: '1', ...(FIRST_RUN_SPECS.includes(spec) ? {} : { STOCKBOOK_NO_FIRST_RUN: '1' }), ...SERVER_ZONE[spec] },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe' as const,
    };
  }),
});
