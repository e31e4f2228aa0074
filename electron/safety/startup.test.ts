import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../shared/contract/transport';
import { configuredLedger, type ConfiguredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook, type Stockbook } from '../app/compose';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { tamperLedgerFile } from '../../test/fixtures/tamper';

/**
 * The app's start-up checks and safe mode on the configured store (test/fixtures/store-under-test.ts): a SQLite ledger
 * file (startup-check.ts) by default, a PostgreSQL database (pg-startup-check.ts) in `npm run test:unit:pg`. The ledger
 * is damaged around the app, as someone with the database's keys could; SQLite's file-level checks are in
 * startup.sqlite.test.ts.
 */
const cluster = clusterForConfiguredStore();
let dir: string;
let path: string;
let ledger: ConfiguredLedger;

const ok = <T,>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

/** Starts the app on the configured ledger, runs `work`, and closes it. */
async function withApp<T>(work: (app: Stockbook) => Promise<T>): Promise<T> {
  const app = await startStockbook({ dbPath: path, mode: 'web', store: ledger.store });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** A session of the app that set up a site and a product and received 10 of it (movement 1). */
async function receiveTen(app: Stockbook) {
  const s = await app.openSession();
  const siteId = ok<{ id: number }>(await s.call('masterdata.siteCreate', { code: 'WH1', name: 'Warehouse', kind: 'warehouse', allowNegative: false })).id;
  const productId = ok<{ id: number }>(
    await s.call('masterdata.productCreate', { sku: 'A', name: 'A', unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }),
  ).id;
  ok(await s.call('operations.receive', { idempotencyKey: 'start-doc-1', kind: 'stock_receipt', siteId, reference: 'R-1', lines: [{ productId, qty: 10, unitCost: 5 }] }));
  return s;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-start-'));
  path = join(dir, 'ledger.db');
  ledger = await configuredLedger(cluster(), path);
  // A ledger that exists before the app starts (PostgreSQL's is migrated by the fixture; SQLite's file made here).
  if (STORE_UNDER_TEST === 'sqlite') await (await SqliteLedger.open(path)).close();
});
afterEach(async () => {
  await ledger?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`start-up checks and safe mode (${STORE_UNDER_TEST})`, () => {
  it('a sound ledger starts normally and takes writes', { timeout: 180_000 }, async () => {
    await withApp(async (app) => {
      expect(app.safeMode).toBeNull();
      const s = await receiveTen(app);
      expect(ok<{ ok: boolean; movements: number }>(await s.call('ledger.verify', {}))).toMatchObject({ ok: true, movements: 1 });
    });
  });

  it('a newest movement changed around the app (its trigger bypassed, then put back): the app starts in safe mode before it takes a write', { timeout: 180_000 }, async () => {
    await withApp((app) => receiveTen(app));
    const edit = 'UPDATE movements SET qty = qty + 5, balance_after = balance_after + 5 WHERE seq = 1';
    if (STORE_UNDER_TEST === 'sqlite') tamperLedgerFile(path, (raw) => raw.exec(edit));
    else await ledger.sql(`BEGIN; ALTER TABLE movements DISABLE TRIGGER movements_no_update; ${edit}; ALTER TABLE movements ENABLE TRIGGER movements_no_update; COMMIT`);
    await withApp(async (app) => {
      // The start-up check reads the newest movements (both stores): not left to the full check after the window opens.
      expect(app.safeMode?.reason).toBe('invariants');
      expect(app.safeMode?.problems).toContain('movement 1: content does not match its hash (altered)');
      expect(app.safeMode?.problems.join('\n')).toMatch(/stock levels hold 10 but its latest movement leaves 15/);
      const s = await app.openSession();
      expect(await s.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/safe mode.*start-up checks/) } });
    });
  });

  it('a migration history it does not know: the app starts in safe mode and the session may only see its status', { timeout: 180_000 }, async () => {
    await ledger.sql("INSERT INTO migrations (timestamp, name) VALUES (1999999999999, 'FromTheFuture1999999999999')");
    await withApp(async (app) => {
      expect(app.safeMode?.reason).toBe('unknown-migrations');
      expect(app.safeMode?.problems.join('\n')).toMatch(/FromTheFuture1999999999999/);
      const s = await app.openSession();
      const status = await s.call('auth.status', {});
      expect(status).toMatchObject({ ok: true, result: { safeMode: { reason: 'unknown-migrations' }, user: { username: 'safe-mode' } } });
      const stock = await s.call('sites.list', {});
      expect(stock).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/safe mode.*newer (version of )?Stockbook/) } });
      expect(await s.call('demo.load', { movements: 10 })).toMatchObject({ ok: false });
      // SQLite keeps its backups beside the file (listed, none yet); PostgreSQL's are the database server's (pg_dump).
      const files = await s.call('backups.files', {});
      if (STORE_UNDER_TEST === 'sqlite') expect(files).toMatchObject({ ok: true, result: [] });
      else expect(files).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/pg_dump/) } });
    });
  });

  it('an append-only trigger gone: the app starts in safe mode naming it, and refuses to work with the reason', { timeout: 180_000 }, async () => {
    // SQLite's start-up check reports the trigger among its invariants; PostgreSQL's names it before anything else ('integrity').
    await ledger.sql(STORE_UNDER_TEST === 'sqlite' ? 'DROP TRIGGER "TRG_movements_no_update"' : 'ALTER TABLE movements DISABLE TRIGGER movements_no_update');
    await withApp(async (app) => {
      expect(app.safeMode?.reason).toBe(STORE_UNDER_TEST === 'sqlite' ? 'invariants' : 'integrity');
      expect(app.safeMode?.problems.join('\n')).toMatch(/movements_no_update/);
      const s = await app.openSession();
      expect(await s.call('auth.status', {})).toMatchObject({ ok: true, result: { user: { username: 'safe-mode' } } });
      expect(await s.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/safe mode/) } });
    });
  });
});
