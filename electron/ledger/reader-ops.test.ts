import { describe, expect, it } from 'vitest';
import { methods, type MethodName } from '../../shared/contract/methods';
import { READ_METHODS } from '../../shared/contract/write-methods';
import { createHandlers } from '../app/handlers';
import { SessionStore } from '../auth/sessions';
import { DownloadTickets } from '../exports/download-tickets';
import type { LedgerClient } from './ledger-client';
import type { LedgerOp } from './ledger-protocol';
import { READER_OPS, readerThreads } from './reader-ops';

/** Which worker operations each contract method's handler calls (recorded by a ledger that answers nothing). */
async function opsByMethod(): Promise<Map<MethodName, Set<LedgerOp>>> {
  let calls = new Set<LedgerOp>();
  const recorder = { call: (op: LedgerOp) => (calls.add(op), Promise.resolve(undefined)) } as unknown as LedgerClient;
  const handlers = createHandlers(recorder, { version: 'test', mode: 'web', dbPath: 'unused.db' }, {} as never, { sessions: new SessionStore(), safeMode: null }, { desktop: null, downloads: new DownloadTickets() });
  const out = new Map<MethodName, Set<LedgerOp>>();
  for (const name of Object.keys(methods) as MethodName[]) {
    calls = new Set();
    const handler = handlers[name] as (input: unknown, ctx: unknown) => Promise<unknown>;
    try {
      await handler({}, { userId: 1, username: 'admin', permissions: [] });
    } catch {
      // A handler that needs a real answer stops after its first call: what it called is recorded.
    }
    out.set(name, calls);
  }
  return out;
}

describe('the operations that reader threads answer', () => {
  it('are reached by read-only contract methods only: no write method\'s handler calls one', async () => {
    const byMethod = await opsByMethod();
    const writesReadingOnReaders = [...byMethod].filter(([m, ops]) => !READ_METHODS.has(m) && [...ops].some((op) => READER_OPS.has(op))).map(([m]) => m);
    expect(writesReadingOnReaders).toEqual([]);
    const reachedByReads = new Set([...byMethod].filter(([m]) => READ_METHODS.has(m)).flatMap(([, ops]) => [...ops]));
    expect([...READER_OPS].filter((op) => !reachedByReads.has(op))).toEqual([]);
    // The clerk's hot reads are among them.
    for (const op of ['enquiry.movements', 'enquiry.count', 'stock.current', 'operations.availability', 'masterdata.products'] as const) expect(READER_OPS.has(op)).toBe(true);
    // Reads that write (snapshot catch-up, dashboard summary) or read the writer's memory (jobs, backups) stay on the writer.
    for (const op of ['enquiry.stockAt', 'enquiry.stockBalance', 'enquiry.dashboard', 'enquiry.exports', 'exports.job', 'backups.status', 'users.list'] as const) expect(READER_OPS.has(op)).toBe(false);
  });

  it('run on one reader thread per spare core, at most two, unless STOCKBOOK_READER_THREADS says otherwise', () => {
    expect(readerThreads({}, 2)).toBe(1);
    expect(readerThreads({}, 1)).toBe(1);
    expect(readerThreads({}, 8)).toBe(2);
    expect(readerThreads({ STOCKBOOK_READER_THREADS: '0' }, 8)).toBe(0);
    expect(readerThreads({ STOCKBOOK_READER_THREADS: '3' }, 2)).toBe(3);
    // A setting that is not a small whole number is ignored.
    expect(readerThreads({ STOCKBOOK_READER_THREADS: 'many' }, 2)).toBe(1);
    expect(readerThreads({ STOCKBOOK_READER_THREADS: '-1' }, 2)).toBe(1);
  });
});
