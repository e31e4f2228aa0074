import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { methods } from '../../shared/contract/methods';
import type { CallOutcome } from '../../shared/contract/transport';
import { configuredLedger, type ConfiguredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { createDispatcher } from '../app/dispatcher';
import { createHandlers } from '../app/handlers';
import { DownloadTickets } from '../exports/download-tickets';
import { arrivedAt } from '../jobs/latch';
import { LedgerClient } from '../ledger/ledger-client';
import { openPool } from '../ledger/pg/pg-types';
import { CHAIN_LOCK_KEY } from '../ledger/pg/store/pg-ledger-store';
import { createSessionGate, type SessionCaller } from './session-gate';
import { SessionStore } from './sessions';

/**
 * A session's reads and writes on the configured store (test/fixtures/store-under-test.ts). On SQLite a read is answered
 * by a reader thread beside the single writer; on PostgreSQL by another connection of the pool while a write waits for
 * the chain lock (another server posting). Either way a read could overtake the session's own write.
 */
const cluster = clusterForConfiguredStore();

/** A write held before it commits, until the test releases it. */
interface HeldWrite {
  /** Resolves once the write sent after hold() is waiting. */
  arrived(): Promise<void>;
  release(): Promise<void>;
}

/**
 * SQLite: the writer's latch (electron/jobs/latch.ts), open unless a test holds it; the writer waits at it before each
 * operation. PostgreSQL: the ledger's chain lock, taken by another client (as another server's posting would hold it).
 */
function writeHolder(configured: ConfiguredLedger): { start(dbPath: string): Promise<LedgerClient>; hold(): Promise<HeldWrite>; close(): void } {
  if (configured.store.kind === 'postgres') {
    const pool = openPool(configured.store.connection);
    const connection = configured.store.connection;
    return {
      start: () => LedgerClient.startPostgres(connection),
      hold: async () => {
        const holder = await pool.connect();
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
        let released = false;
        return {
          arrived: async () => {
            const waiting = async () => (await configured.sql("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).length > 0;
            while (!(await waiting())) await new Promise((r) => setTimeout(r, 20));
          },
          release: async () => {
            if (released) return;
            released = true;
            await holder.query('COMMIT');
            holder.release();
          },
        };
      },
      close: () => void pool.end(),
    };
  }
  const writerGate = new Int32Array(new SharedArrayBuffer(8));
  const open = () => {
    Atomics.store(writerGate, 1, 1_000_000_000);
    Atomics.notify(writerGate, 1);
  };
  open();
  return {
    start: (dbPath) => LedgerClient.start(dbPath, 'the session gate test', { readers: 1, writerGate }),
    hold: async () => {
      const arrived = Atomics.load(writerGate, 0);
      Atomics.store(writerGate, 1, arrived);
      return { arrived: () => arrivedAt(writerGate, arrived + 1), release: async () => open() };
    },
    close: open,
  };
}

let dir: string;
let configured: ConfiguredLedger;
let writes: ReturnType<typeof writeHolder>;
let ledger: LedgerClient;
let clerk: SessionCaller;
let siteId: number;
let productId: number;

const ok = <T,>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-session-gate-'));
  configured = await configuredLedger(cluster(), join(dir, 'ledger.db'));
  writes = writeHolder(configured);
  ledger = await writes.start(join(dir, 'ledger.db'));
  await ledger.readersReady();
  const sessions = new SessionStore();
  const dispatch = createDispatcher(createHandlers(ledger, { version: 'test', mode: 'web', dbPath: join(dir, 'ledger.db') }, {} as never, { sessions, safeMode: null }, { desktop: null, downloads: new DownloadTickets() }));
  // As startStockbook opens them: on PostgreSQL each call reads the session's user again (other servers may change it).
  const openSession = createSessionGate({ dispatch, sessions, ledger, safeMode: null, recheckUser: STORE_UNDER_TEST === 'postgres' });
  // The first session (open access) sets a PIN; the clerk's session then signs in with it like any later one.
  const first = await openSession();
  ok(await first.call('users.setSecret', { username: 'admin', kind: 'pin', secret: '8642' }));
  clerk = await openSession({ network: true });
  ok(await clerk.call('auth.signIn', { username: 'admin', kind: 'pin', secret: '8642' }));
  siteId = ok<{ id: number }>(await clerk.call('masterdata.siteCreate', { code: 'MAIN', name: 'Main store', kind: 'warehouse', allowNegative: false })).id;
  productId = ok<{ id: number }>(
    await clerk.call('masterdata.productCreate', { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }),
  ).id;
});
afterAll(async () => {
  writes?.close();
  await ledger?.close();
  await configured?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`a session reads its own writes (${STORE_UNDER_TEST})`, () => {
  it('a read sent right after a write, without awaiting it, is answered after that write and sees it', async () => {
    const movements = () => clerk.call('enquiry.movements', { filter: { productId }, limit: 100 });
    expect(ok<{ rows: unknown[] }>(await movements()).rows).toHaveLength(0);
    const held = await writes.hold();
    let read: Promise<CallOutcome> | undefined;
    try {
      const write = clerk.call('operations.receive', { idempotencyKey: 'gate-test-receipt-1', kind: 'stock_receipt', siteId, reference: 'R-1', lines: [{ productId, qty: 5, unitCost: 100 }] });
      // The write is held now, before it commits; the read goes to a reader thread (SQLite) or another connection (PostgreSQL).
      await held.arrived();
      read = movements();
      let answered = false;
      void read.then(() => (answered = true));
      // The reader would answer at once from what is committed (nothing yet): the read waits for the session's write.
      expect((await ledger.call('enquiry.movements', methods['enquiry.movements'].input.parse({ filter: { productId }, limit: 100 }))).rows).toHaveLength(0);
      expect(answered).toBe(false);
      await held.release();
      expect(ok<{ movementCount: number }>(await write).movementCount).toBe(1);
    } finally {
      await held.release();
    }
    const rows = ok<{ rows: { qty: number }[] }>(await read!).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.qty).toBe(5);
  });

  it('a read waits only for the writes sent before it: a read after a refused write is answered too', async () => {
    const refused = clerk.call('operations.receive', { idempotencyKey: 'gate-test-receipt-2', kind: 'stock_receipt', siteId, reference: 'R-2', lines: [{ productId: 999_999, qty: 1, unitCost: 100 }] });
    const read = clerk.call('sites.list', {});
    expect((await refused).ok).toBe(false);
    expect(ok<{ id: number }[]>(await read).map((s) => s.id)).toContain(siteId);
  });
});
