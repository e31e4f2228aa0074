import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { methods } from '../../shared/contract/methods';
import type { CallOutcome } from '../../shared/contract/transport';
import { createDispatcher } from '../app/dispatcher';
import { createHandlers } from '../app/handlers';
import { DownloadTickets } from '../exports/download-tickets';
import { arrivedAt } from '../jobs/latch';
import { LedgerClient } from '../ledger/ledger-client';
import { createSessionGate, type SessionCaller } from './session-gate';
import { SessionStore } from './sessions';

/** The writer's latch (electron/jobs/latch.ts): open, unless a test holds it. */
const writerGate = new Int32Array(new SharedArrayBuffer(8));
const release = () => {
  Atomics.store(writerGate, 1, 1_000_000_000);
  Atomics.notify(writerGate, 1);
};
/** From now on the writer waits at the latch before each operation; returns how many operations had arrived. */
const hold = () => {
  const arrived = Atomics.load(writerGate, 0);
  Atomics.store(writerGate, 1, arrived);
  return arrived;
};

let dir: string;
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
  release();
  ledger = await LedgerClient.start(join(dir, 'ledger.db'), 'the session gate test', { readers: 1, writerGate });
  await ledger.readersReady();
  const sessions = new SessionStore();
  const dispatch = createDispatcher(createHandlers(ledger, { version: 'test', mode: 'web', dbPath: join(dir, 'ledger.db') }, {} as never, { sessions, safeMode: null }, { desktop: null, downloads: new DownloadTickets() }));
  const openSession = createSessionGate({ dispatch, sessions, ledger, safeMode: null });
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
  release();
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a session reads its own writes', () => {
  it('a read sent right after a write, without awaiting it, is answered after that write and sees it', async () => {
    const movements = () => clerk.call('enquiry.movements', { filter: { productId }, limit: 100 });
    expect(ok<{ rows: unknown[] }>(await movements()).rows).toHaveLength(0);
    const arrived = hold();
    let read: Promise<CallOutcome> | undefined;
    try {
      const write = clerk.call('operations.receive', { idempotencyKey: 'gate-test-receipt-1', kind: 'stock_receipt', siteId, reference: 'R-1', lines: [{ productId, qty: 5, unitCost: 100 }] });
      // The write is on the writer now, held at its latch before it runs; the read goes to a reader thread.
      await arrivedAt(writerGate, arrived + 1);
      read = movements();
      let answered = false;
      void read.then(() => (answered = true));
      // The reader would answer at once from what is committed (nothing yet): the read waits for the session's write.
      expect((await ledger.call('enquiry.movements', methods['enquiry.movements'].input.parse({ filter: { productId }, limit: 100 }))).rows).toHaveLength(0);
      expect(answered).toBe(false);
      release();
      expect(ok<{ movementCount: number }>(await write).movementCount).toBe(1);
    } finally {
      release();
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
