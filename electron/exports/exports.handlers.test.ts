import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/domain';
import type { ExportJobInfo } from '../../shared/enquiry';
import { fakeDialog, fakeShell, fakeWindow } from '../../test/fixtures/fake-electron';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook, type Stockbook } from '../app/compose';
import { createDesktopServices, type DesktopUpdates } from '../shell/desktop-services';
import { startWebServer, type WebServer } from '../web/web-server';

let dir: string;
let server: WebServer;
let desk: Stockbook;
const chosen = () => join(dir, 'chosen', 'stock.csv');
const dialog = { answers: [] as (string | null)[] };
const shell = fakeShell();

// The exports folder is named before either app starts, and removed after both have closed.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-exports-'));
  process.env.STOCKBOOK_HOME = join(dir, 'home');
});
afterAll(() => {
  delete process.env.STOCKBOOK_HOME;
  rmSync(dir, { recursive: true, force: true });
});
/** The browser-mode server's app, on the configured store (a SQLite file, or PostgreSQL in `npm run test:unit:pg`). */
const opened = appForFile('exports-web');
const web = () => opened().app;

beforeAll(async () => {
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  server = await startWebServer(web(), { port: 0, staticDir });
  const d = fakeDialog(dialog.answers);
  // The desktop app opens a SQLite ledger file (electron/main.ts has no PostgreSQL ledger): the same on both runs.
  desk = await startStockbook({
    dbPath: join(dir, 'desk.db'),
    mode: 'electron',
    desktop: createDesktopServices({ dialog: d, shell, window: () => fakeWindow(), documentsDir: dir, writeFile: (p, data) => writeFile(p, data), updates: {} as DesktopUpdates }),
  });
}, 180_000);
afterAll(async () => {
  await server?.close();
  await desk?.close();
});

async function call<T>(sb: Stockbook, method: string, input: unknown): Promise<{ ok: true; result: T } | { ok: false; error: { code: string; message: string } }> {
  return (await sb.dispatch(method, input, sb.session)) as never;
}

async function exportDone(sb: Stockbook, input: unknown): Promise<ExportJobInfo> {
  let off = () => undefined as void;
  const finished = new Map<string, JobFinished>();
  const waiters = new Map<string, () => void>();
  off = sb.onEvent((event, payload) => {
    if (event !== 'job.finished') return;
    const f = payload as JobFinished;
    finished.set(f.jobId, f);
    waiters.get(f.jobId)?.();
  });
  const started = await call<ExportJobInfo>(sb, 'exports.start', input);
  if (!started.ok) throw new Error(started.error.message);
  const id = started.result.jobId;
  if (!finished.has(id)) await new Promise<void>((r) => waiters.set(id, r));
  off();
  const info = await call<ExportJobInfo>(sb, 'exports.job', { jobId: id });
  return (info as { result: ExportJobInfo }).result;
}

describe(`exports through the contract (browser mode on ${STORE_UNDER_TEST})`, () => {
  it('browser mode: a finished export downloads once through its one-time address, as an attachment', async () => {
    const info = await exportDone(web(), { what: { list: 'currentStock', query: {} } });
    expect(info.status).toBe('done');
    const link = await call<{ url: string; fileName: string }>(web(), 'exports.download', { jobId: info.jobId });
    if (!link.ok) throw new Error(link.error.message);
    const first = await fetch(`http://127.0.0.1:${server.port}${link.result.url}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="${link.result.fileName}"; filename*=UTF-8''${link.result.fileName}`);
    expect(Buffer.from(await first.arrayBuffer()).equals(readFileSync(info.file))).toBe(true);
    const again = await fetch(`http://127.0.0.1:${server.port}${link.result.url}`);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('already used or has expired');
    expect((await fetch(`http://127.0.0.1:${server.port}/downloads/guess`)).status).toBe(404);
    const unknown = await call(web(), 'exports.download', { jobId: 'export-none' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('browser mode refuses the desktop-only methods and any save path, writing nothing', async () => {
    for (const [method, input] of [['desktop.saveDialog', { suggestedName: 'x', format: 'csv' }], ['desktop.printToPdf', { suggestedName: 'x' }], ['desktop.openExport', { jobId: 'x', show: 'file' }]] as const) {
      expect(await call(web(), method, input)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('only in the Stockbook desktop app') } });
    }
    const r = await call(web(), 'exports.start', { what: { list: 'currentStock', query: {} }, saveTo: join(dir, 'evil.csv') });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('only where you chose in the Save dialog') } });
    expect(existsSync(join(dir, 'evil.csv'))).toBe(false);
  });

  it('desktop: the export goes where the Save dialog chose, once; another path is refused and nothing is written there', async () => {
    const refused = await call(desk, 'exports.start', { what: { list: 'lowStock', query: {} }, saveTo: chosen() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(existsSync(chosen())).toBe(false);
    dialog.answers.push(chosen());
    const picked = await call<{ path: string | null }>(desk, 'desktop.saveDialog', { suggestedName: 'stock', format: 'csv' });
    expect(picked).toEqual({ ok: true, result: { path: chosen() } });
    const info = await exportDone(desk, { what: { list: 'currentStock', query: {} }, saveTo: chosen() });
    expect(info).toMatchObject({ status: 'done', file: chosen(), rows: 0 });
    expect(readFileSync(chosen(), 'utf8').split('\r\n')).toHaveLength(2); // header only: an empty ledger
    expect(await call(desk, 'exports.start', { what: { list: 'currentStock', query: {} }, saveTo: chosen() })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // Open / Show in folder work on the export's own file only.
    expect(await call(desk, 'desktop.openExport', { jobId: info.jobId, show: 'folder' })).toEqual({ ok: true, result: { opened: true } });
    expect(shell.shown).toEqual([chosen()]);
    expect(await call(desk, 'desktop.openExport', { jobId: 'export-unknown', show: 'file' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(shell.opened).toEqual([]);
  });
});
