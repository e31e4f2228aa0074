import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { WS_PATH, type CallOutcome } from '../../shared/contract/transport';
import type { PostedDocument } from '../../shared/domain';
import type { DocumentSummary } from '../../shared/operations';
import { WebSocketBridge } from '../../renderer/client/websocket-bridge';
import { startStockbook, type Stockbook } from '../app/compose';
import { startCutProxy } from '../remote/cut-proxy';
import { startWebServer, type WebServer } from './web-server';
import { configuredLedger, type ConfiguredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore } from '../../test/fixtures/store-under-test';

/**
 * The renderer's own WebSocket bridge (browser mode, and a browser on a Stockbook server) against the real server through
 * a real TCP relay that can lose a reply and cut the line. `ws` stands in for the browser's WebSocket (Node 20 has none).
 * On the configured store (test/fixtures/store-under-test.ts): the key answers the retried receipt on both.
 */
const cluster = clusterForConfiguredStore();
let app: Stockbook;
let web: WebServer;
let dir: string;
let ledger: ConfiguredLedger;
const g = globalThis as unknown as { WebSocket?: unknown };
const before = g.WebSocket;

beforeAll(async () => {
  g.WebSocket = WebSocket;
  dir = mkdtempSync(join(tmpdir(), 'stockbook-browser-reconnect-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  // On the configured store: a SQLite file here, a PostgreSQL database in `npm run test:unit:pg`.
  ledger = await configuredLedger(cluster(), join(dir, 'r.db'));
  app = await startStockbook({ dbPath: join(dir, 'r.db'), mode: 'web', store: ledger.store });
  web = await startWebServer(app, { port: 0, staticDir });
});
afterAll(async () => {
  await web.close();
  await app.close();
  await ledger?.close();
  rmSync(dir, { recursive: true, force: true });
  g.WebSocket = before;
});

const result = <T>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};
/** What the bridge answered: its outcome, or the AppError it was rejected with. */
const settle = (p: Promise<CallOutcome>) => p.then((o) => o, (e: unknown) => (e instanceof AppError ? { ok: false as const, error: e.toWire() } : Promise.reject(e)));

describe("the browser's bridge on a lost connection", () => {
  it('shows the loss at once, refuses a write while down, reconnects by itself and answers an in-flight receipt by its key: one document', async () => {
    const admin = await app.openSession();
    const site = result<{ id: number }>(await admin.call('masterdata.siteCreate', { code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false }));
    const product = result<{ id: number }>(
      await admin.call('masterdata.productCreate', { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }),
    );
    const receipt = (key: string, reference: string) => ({ idempotencyKey: key, kind: 'stock_receipt', reference, siteId: site.id, lines: [{ productId: product.id, qty: 5, unitCost: 10_000 }] });
    const receiptsWith = async (reference: string) => result<DocumentSummary[]>(await admin.call('operations.recentDocuments', { limit: 200 })).filter((d) => d.reference === reference).length;

    const proxy = await startCutProxy(web.port);
    const bridge = new WebSocketBridge(`ws://127.0.0.1:${proxy.port}${WS_PATH}?token=${web.token}`);
    const statuses: string[] = [];
    bridge.onConnectionStatus((s) => statuses.push(s));
    // Writes wait for nothing: before the socket is open, a write is refused (a read would wait).
    await bridge.invoke('auth.status', {});
    expect(result<PostedDocument>(await bridge.invoke('operations.receive', receipt('browser-key-1', 'B-1'))).replayed).toBe(false);

    // The server commits the receipt; its answer never arrives, then the line is cut.
    proxy.holdReplies();
    const inFlight = settle(bridge.invoke('operations.receive', receipt('browser-key-2', 'B-2')));
    while ((await receiptsWith('B-2')) === 0) await new Promise((r) => setTimeout(r, 20));
    // A call without a key sent now is lost with the line: it says it may or may not have been saved.
    const unkeyed = settle(bridge.invoke('masterdata.siteCreate', { code: 'NOKEY', name: 'No key', kind: 'warehouse', allowNegative: false }));
    while (!result<{ code: string }[]>(await admin.call('sites.list', {})).some((s) => s.code === 'NOKEY')) await new Promise((r) => setTimeout(r, 20));
    proxy.cutAll();
    while (bridge.connectionStatus() === 'open') await new Promise((r) => setTimeout(r, 5));
    expect(bridge.connectionStatus()).toBe('reconnecting');
    expect(await unkeyed).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('may or may not have been saved') } });

    // A write while down: refused at once, never queued.
    const down = await settle(bridge.invoke('operations.receive', receipt('browser-key-down', 'B-DOWN')));
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('nothing was sent and nothing was saved') } });

    // It reconnects by itself; the in-flight receipt is answered by its key with the first result.
    const resolved = result<PostedDocument>(await inFlight);
    expect(resolved.replayed).toBe(true);
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
    expect([await receiptsWith('B-1'), await receiptsWith('B-2'), await receiptsWith('B-DOWN')]).toEqual([1, 1, 0]);
    const docs = result<DocumentSummary[]>(await bridge.invoke('operations.recentDocuments', { limit: 200 }));
    expect(docs.find((d) => d.reference === 'B-2')?.documentId).toBe(resolved.documentId);
    await proxy.close();
  });
});
