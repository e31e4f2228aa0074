import type { Locator, Page } from '@playwright/test';

/**
 * A tour of every window and the main dialogs with a 'longtask' PerformanceObserver in the page: for each stop, the
 * longest main-thread task (ms) from the action that opened it until the window settled. Shared by the long-tasks
 * e2e (which fails over a budget) and the windows bench (which prints the numbers on a large ledger).
 */

/** Installed before the app's own scripts (page.addInitScript): every long task lands in window.__longTasks. */
export function observeLongTasks(): void {
  const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

export interface WindowTasks {
  window: string;
  /** The longest main-thread task in ms, wall clock, from the 'longtask' observer (0: none reached its 50 ms threshold). */
  longest: number;
  /** Long tasks (≥ 50 ms) while opening it. */
  count: number;
  /**
   * The most CPU time one main-thread task took (ms), from Chromium's trace (a task's thread time): what the window's
   * own work costs, apart from the time the machine gave to other processes while the task waited (on a shared,
   * loaded machine a task's wall time is many times its CPU time).
   */
  longestCpu: number;
}

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { processId?: number; isOutermostMainFrame?: boolean; frames?: { processId?: number; isOutermostMainFrame?: boolean }[] } };
}

/**
 * The longest task's thread time (ms) on the page's renderer main thread in a Chromium trace. The page's renderer is
 * the process its main frame was in when tracing started or committed to since: Chromium runs other renderers beside
 * it (a preloaded new-tab page of its own busies one with hundreds of ms of tasks), so "the busiest renderer" can be
 * someone else's. Without those events, the renderer main thread that ran the most tasks.
 */
export function longestMainThreadCpu(trace: Buffer): number {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const pagePids = new Set<number>();
  for (const e of events) {
    const data = e.args?.data;
    if (e.name === 'TracingStartedInBrowser') for (const f of data?.frames ?? []) if (f.isOutermostMainFrame && f.processId) pagePids.add(f.processId);
    if (e.name === 'FrameCommittedInBrowser' && data?.isOutermostMainFrame && data.processId) pagePids.add(data.processId);
  }
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, number[]>();
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (e.name !== 'RunTask' || !mains.has(k)) continue;
    byThread.set(k, [...(byThread.get(k) ?? []), (e.tdur ?? e.dur ?? 0) / 1000]);
  }
  const threads = [...byThread.entries()];
  const page = threads.filter(([k]) => pagePids.has(Number(k.split(':')[0]))).flatMap(([, tasks]) => tasks);
  const tasks = page.length > 0 ? page : (threads.map(([, t]) => t).sort((a, b) => b.length - a.length)[0] ?? []);
  return Math.round(tasks.reduce((a, b) => Math.max(a, b), 0));
}

interface Stop {
  window: string;
  /** A new document (the page clock starts again at 0). */
  load?: boolean;
  open: (page: Page, startUrl: string) => Promise<unknown>;
  /** Shown once the window has what it loads. */
  ready: (page: Page) => Locator;
}

const go = (hash: string) => (page: Page) => page.evaluate((h) => (window.location.hash = h), hash);
const click = (testId: string) => (page: Page) => page.getByTestId(testId).click();
const tab = (name: string) => (page: Page) => page.getByRole('tab', { name, exact: true }).click();

/** In order: each stop starts where the one before it left the app. */
export const STOPS: readonly Stop[] = [
  {
    window: 'Start · Current Stock',
    load: true,
    // A new document even when the page is at this address already: the tour goes to about:blank first.
    open: (p, url) => p.goto(url),
    ready: (p) => p.getByTestId('stock-row').first() },
  {
    window: 'Current Stock · sort by On hand',
    open: (p) => p.getByRole('columnheader', { name: 'On hand' }).getByRole('button').click(),
    ready: (p) => p.getByTestId('stock-row').first(),
  },
  { window: 'Current Stock · low in stock', open: (p) => p.getByLabel('Status').selectOption({ label: 'Low in stock' }), ready: (p) => p.getByTestId('stock-row').first() },
  { window: 'Enquiry · movements', open: go('#/enquiry'), ready: (p) => p.getByTestId('mv-row').first() },
  {
    window: 'Enquiry · stock at a date',
    open: async (p) => {
      await click('tab-at-date')(p);
      await click('sad-show')(p);
    },
    ready: (p) => p.getByTestId('sad-row').first(),
  },
  { window: 'Enquiry · low stock', open: click('tab-low'), ready: (p) => p.getByTestId('low-row').first() },
  { window: 'Enquiry · dashboard', open: click('tab-dashboard'), ready: (p) => p.getByTestId('dash-by-type').getByTestId('chart-series').first() },
  { window: 'Reports · stock balance', open: click('tab-reports'), ready: (p) => p.getByTestId('balance-row').first() },
  { window: 'Reports · inventory transactions', open: click('report-transactions'), ready: (p) => p.getByTestId('transactions-row').first() },
  { window: 'Operations', open: go('#/operations'), ready: (p) => p.getByRole('tab', { name: 'Receive' }) },
  { window: 'Counts', open: go('#/counts'), ready: (p) => p.getByRole('button', { name: 'New count' }) },
  { window: 'Counts · new count dialog', open: (p) => p.getByRole('button', { name: 'New count' }).click(), ready: (p) => p.getByRole('dialog', { name: 'New stock count' }) },
  {
    window: 'Counts · create a full count',
    // the site is never guessed: the tour picks the first one listed (the first by name)
    open: async (p) => {
      const dialog = p.getByRole('dialog', { name: 'New stock count' });
      await dialog.getByLabel('Count site').selectOption({ index: 1 });
      await dialog.getByRole('button', { name: 'Create' }).click();
    },
    ready: (p) => p.getByTestId('count-row').first(),
  },
  { window: 'Posting', open: go('#/posting'), ready: (p) => p.getByRole('tab', { name: 'Post movements' }) },
  { window: 'Posting · batches & reports', open: tab('Batches & reports'), ready: (p) => p.getByRole('tab', { name: 'Batches & reports', selected: true }) },
  { window: 'Posting · trial balance', open: tab('Trial balance'), ready: (p) => p.getByRole('table', { name: 'Trial balance' }) },
  { window: 'Posting · control accounts', open: tab('Control accounts'), ready: (p) => p.getByRole('tab', { name: 'Control accounts', selected: true }) },
  { window: 'Products', open: go('#/products'), ready: (p) => p.getByTestId('products-count') },
  { window: 'Products · groups dialog', open: click('products-groups-open'), ready: (p) => p.getByRole('dialog') },
  { window: 'Recipes', open: async (p) => {
    await p.keyboard.press('Escape');
    await go('#/recipes')(p);
  }, ready: (p) => p.locator('[data-testid^="recipe-row-"]').first() },
  { window: 'Sites & bins', open: go('#/sites'), ready: (p) => p.getByTestId('sites-table') },
  { window: 'Suppliers', open: go('#/suppliers'), ready: (p) => p.getByTestId('suppliers-table') },
  { window: 'Company', open: go('#/company'), ready: (p) => p.getByTestId('company-form') },
  { window: 'Catalog import & export', open: go('#/catalog'), ready: (p) => p.getByTestId('catalog-page') },
  { window: 'Settings', open: go('#/settings'), ready: (p) => p.getByTestId('users-table') },
];

/** How long a window must stay quiet (no new long task) after it showed its data before its stop is read. */
const SETTLE_MS = 1000;

/** The long tasks that started at or after `since` (page clock). */
function tasksSince(page: Page, since: number): Promise<{ start: number; duration: number }[]> {
  return page.evaluate((t) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((x) => x.start >= t), since);
}

/**
 * Visits every stop on a page that has observeLongTasks installed, starting by loading the app at `startUrl` (signed in,
 * with data, on Current Stock). `readyTimeout` bounds the wait for each window's data (large ledgers need more).
 * Calls `onStop` as each stop is measured.
 */
export async function tourWindows(
  page: Page,
  options: { startUrl: string; readyTimeout: number; onStop?: (r: WindowTasks) => void },
): Promise<WindowTasks[]> {
  const results: WindowTasks[] = [];
  const browser = page.context().browser();
  for (const stop of STOPS) {
    if (stop.load) await page.goto('about:blank');
    await browser?.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const before = await page.evaluate(() => performance.now());
    await stop.open(page, options.startUrl);
    const since = stop.load ? 0 : before;
    await stop.ready(page).waitFor({ state: 'visible', timeout: options.readyTimeout });
    // Settled: SETTLE_MS without a new long task (bounded, so a window that keeps the thread busy still ends).
    let tasks = await tasksSince(page, since);
    for (let seen = -1, i = 0; seen !== tasks.length && i < 20; i++) {
      seen = tasks.length;
      await page.waitForTimeout(SETTLE_MS);
      tasks = await tasksSince(page, since);
    }
    const trace = await browser?.stopTracing();
    const r = {
      window: stop.window,
      longest: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
      count: tasks.length,
      longestCpu: trace ? longestMainThreadCpu(trace) : 0,
    };
    results.push(r);
    options.onStop?.(r);
  }
  return results;
}
