import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { methods, type MethodName, type MethodParsedInput } from '../../shared/contract/methods';
import { AppError } from '../../shared/contract/errors';
import { createDispatcher } from '../app/dispatcher';
import { createHandlers } from '../app/handlers';
import { SessionStore } from '../auth/sessions';
import { DownloadTickets } from '../exports/download-tickets';
import { ReaderPool } from './reader-pool';
import { arrivedAt } from '../jobs/latch';
import { LedgerClient } from './ledger-client';
import { asUser } from '../../test/fixtures/caller';

const parse = <M extends MethodName>(m: M, input: unknown) => methods[m].input.parse(input) as MethodParsedInput<M>;

/** A latch the reader threads wait at on every call: gate[0] counts calls arrived, gate[1] how many may go on. */
function latch() {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  return {
    gate,
    /** Resolves once `n` calls have arrived at the latch (they are running on a reader, held there). */
    arrived: (n: number) => arrivedAt(gate, n),
    /** From now on calls wait at the latch; returns how many had arrived. */
    hold: () => {
      const arrived = Atomics.load(gate, 0);
      Atomics.store(gate, 1, arrived);
      return arrived;
    },
    release: () => {
      Atomics.store(gate, 1, 1_000_000_000);
      Atomics.notify(gate, 1);
    },
  };
}

/** Tracks whether a promise has settled, without waiting for it. */
function tracked<T>(p: Promise<T>) {
  const t = { settled: false, promise: p };
  p.then(() => (t.settled = true), () => (t.settled = true));
  return t;
}

let dir: string;
let ledger: LedgerClient;
let userId: number;
let siteId: number;
let productId: number;
let gate: ReturnType<typeof latch>;
let writerGate: ReturnType<typeof latch>;
let n = 0;
const receive = () =>
  ledger.call('operations.receive', parse('operations.receive', { idempotencyKey: `reader-test-${++n}`, kind: 'stock_receipt', siteId, reference: `R-${n}`, lines: [{ productId, qty: 1, unitCost: 100 }] }), asUser(userId));
const movements = () => ledger.call('enquiry.movements', parse('enquiry.movements', { filter: { productId }, limit: 100 }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-readers-'));
  gate = latch();
  writerGate = latch();
  // Both latches open, unless a test holds one.
  gate.release();
  writerGate.release();
  ledger = await LedgerClient.start(join(dir, 'ledger.db'), 'the reader test', { readers: 1, readerGate: gate.gate, writerGate: writerGate.gate });
  await ledger.readersReady();
  userId = (await ledger.call('user', 'admin')).id;
  siteId = (await ledger.call('masterdata.siteCreate', parse('masterdata.siteCreate', { code: 'MAIN', name: 'Main store', kind: 'warehouse', allowNegative: false }), asUser(userId))).id;
  productId = (
    await ledger.call('masterdata.productCreate', parse('masterdata.productCreate', { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }), asUser(userId))
  ).id;
});
afterAll(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reader threads beside the one writer', () => {
  it('answers an enquiry while the writer is held inside a write and a write transaction is open on the file', async () => {
    await receive();
    const arrived = writerGate.hold();
    const write = tracked(receive());
    await writerGate.arrived(arrived + 1);
    // The writer thread is now busy with that write (held at its latch), and a write transaction is open on the file.
    const holder = new Database(join(dir, 'ledger.db'));
    try {
      holder.exec('BEGIN IMMEDIATE');
      holder.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('reader-test', '"uncommitted"', 0);
      const page = await movements();
      // On the writer alone this enquiry would wait behind the held write: it is answered, from what is committed.
      expect(page.rows).toHaveLength(1);
      expect(write.settled).toBe(false);
      expect(await ledger.call('company.get')).toBeTruthy();
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      writerGate.release();
    }
    expect((await write.promise).movementCount).toBe(1);
    expect((await movements()).rows).toHaveLength(2);
  });

  it('commits while an enquiry is held on a reader: a commit never queues behind an enquiry', async () => {
    const arrived = gate.hold();
    try {
      const enquiry = tracked(movements());
      await gate.arrived(arrived + 1);
      const posted = await receive();
      expect(posted.movementCount).toBe(1);
      expect(enquiry.settled).toBe(false);
      gate.release();
      // The held enquiry began its read transaction after the latch: it sees the commit made while it waited.
      expect((await enquiry.promise).rows.map((r) => r.documentId)).toContain(posted.documentId);
    } finally {
      gate.release();
    }
  });

  it('reads a client\'s own write on its next read, every time', async () => {
    for (let i = 0; i < 20; i++) {
      const posted = await receive();
      const [page, stock] = await Promise.all([movements(), ledger.call('stock.current', parse('stock.current', { siteId }))]);
      expect(page.rows[0]!.documentId).toBe(posted.documentId);
      expect(stock.rows.find((r) => r.productId === productId)!.onHand).toBe(page.rows[0]!.balanceAfter);
    }
  });

  it('carries a reader\'s refusal to the client as the writer would give it: code and message, through the dispatcher', async () => {
    const dispatch = createDispatcher(createHandlers(ledger, { version: 'test', mode: 'web', dbPath: join(dir, 'ledger.db') }, {} as never, { sessions: new SessionStore(), safeMode: null }, { desktop: null, downloads: new DownloadTickets() }));
    const ctx = { userId, username: 'admin', permissions: [methods['masterdata.product'].permission] };
    expect(await dispatch('masterdata.product', { id: 999_999 }, ctx)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'That product no longer exists. Reload the list.' } });
    await expect(ledger.call('masterdata.product', { id: 999_999 })).rejects.toBeInstanceOf(AppError);
  });

  it('turns an unexpected failure on a reader into a plain error that says nothing was changed', async () => {
    const pool = await ReaderPool.start(join(dir, 'ledger.db'), 1);
    try {
      await expect(pool.call('operations.receive', [])).rejects.toMatchObject({
        code: 'INTERNAL',
        message: 'Stockbook hit an unexpected error (operations.receive is not a reader operation). Nothing was changed; try again, and report it if it repeats.',
      });
      // The reader goes on answering.
      expect(await pool.call('sites.list', [])).toEqual(await ledger.call('sites.list'));
    } finally {
      await pool.close();
    }
  });
});
