import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startStockbook } from '../../electron/app/compose';
import { generateDemo } from '../../electron/demo/generate-demo';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { startWebServer } from '../../electron/web/web-server';
import { observeLongTasks, tourWindows } from '../e2e/window-tour';
import type { AppInfo } from '../../shared/domain';
import { fmt, type BenchOptions } from './bench-options';

const TOKEN = 'windows-bench-token-0123456789abcdef';
/** The budget for any main-thread task (the e2e guards 500 ms on the small demo ledger). */
const BUDGET_MS = 100;

/**
 * Every window and the main dialogs in Debian's chromium (1366×768) over browser mode on a generated demo ledger of
 * `--movements` movements (STOCKBOOK_BENCH_DEMO_DB=path reuses one made by `npm run demo`): the longest main-thread
 * task per window from a 'longtask' PerformanceObserver (wall clock) and, from Chromium's trace, the most CPU time one
 * task took (on a loaded machine the wall time is mostly waiting for a core). Needs `npm run build:renderer`.
 */
export async function windowsBench({ dir, movements }: BenchOptions): Promise<void> {
  const reuse = process.env.STOCKBOOK_BENCH_DEMO_DB;
  const dbPath = reuse ?? join(dir, 'windows.db');
  if (!reuse) {
    const ledger = await SqliteLedger.open(dbPath);
    const t = performance.now();
    await generateDemo(ledger, { movements });
    await ledger.close();
    console.log(`\n(demo data: ${fmt(movements)} movements generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  process.env.STOCKBOOK_NO_FIRST_RUN = '1';
  process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
  const app = await startStockbook({ dbPath, mode: 'web' });
  const web = await startWebServer(app, { port: 0, staticDir: resolve('out/renderer'), token: TOKEN });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const info = await app.dispatch('app.info', {}, app.session);
    const size = info.ok ? `${fmt((info.result as AppInfo).movementCount)} movements, ${fmt((info.result as AppInfo).productCount)} products` : dbPath;
    console.log(`\n## Windows: longest main-thread task per window (chromium, 1366×768, ${size})`);
    console.log('window | longest task ms (longtask observer, wall) | long tasks ≥50 ms | longest task CPU ms (trace)');
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.addInitScript(observeLongTasks);
    const results = await tourWindows(page, {
      startUrl: web.url,
      readyTimeout: 300_000,
      onStop: (r) => console.log(`${r.window} | ${fmt(r.longest)} | ${r.count} | ${fmt(r.longestCpu)}`),
    });
    const worst = results.reduce((a, b) => (b.longest > a.longest ? b : a));
    const worstCpu = results.reduce((a, b) => (b.longestCpu > a.longestCpu ? b : a));
    const over = results.filter((r) => r.longest > BUDGET_MS).length;
    const overCpu = results.filter((r) => r.longestCpu > BUDGET_MS).length;
    console.log(`worst wall: ${worst.window} ${fmt(worst.longest)} ms (${over} of ${results.length} windows over ${BUDGET_MS} ms)`);
    console.log(`worst CPU: ${worstCpu.window} ${fmt(worstCpu.longestCpu)} ms (${overCpu} of ${results.length} windows over ${BUDGET_MS} ms)`);
    console.log(`(load average while measured: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
  } finally {
    await browser.close();
    await web.close();
    await app.close();
  }
}
