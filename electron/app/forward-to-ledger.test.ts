import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyMethods } from '../../shared/contract/company.methods';
import { desktopMethods } from '../../shared/contract/desktop.methods';
import { METHOD_NAMES } from '../../shared/contract/methods';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { SessionStore } from '../auth/sessions';
import { DownloadTickets } from '../exports/download-tickets';
import { INTERNAL_OPS } from '../ledger/internal-ops';
import type { LedgerClient } from '../ledger/ledger-client';
import type { FullCheckOps } from '../safety/worker-start';
import { createWorkerContext } from '../ledger/worker-context';
import { allOps } from '../ledger/worker-ops';
import { forwardedOp, forwardToLedger } from './forward-to-ledger';
import type { Handlers } from './dispatcher';
import { createHandlers } from './handlers';

/** The full check's start joins the worker's table in worker-start.ts, outside allOps. */
const FULL_CHECK_OP: keyof FullCheckOps = 'safetyStartFullCheck';

interface Wiring {
  handlers: Record<string, unknown>;
  /** Worker operations each hand-written handler called (recorded by a ledger that answers nothing). */
  calledByHandWritten: Set<string>;
  workerOps: Set<string>;
  internal: Record<string, string>;
}

/**
 * What is wrong with the wiring from the contract to the worker: a method with no handler; a forwarder whose worker
 * operation is missing (or that forwards under another name); a worker operation that no contract method reaches
 * and that is not listed as internal with a reason; an internal listing of an operation the worker does not have.
 */
function wiringProblems(w: Wiring): string[] {
  const problems: string[] = [];
  const forwarded = new Set<string>();
  for (const name of METHOD_NAMES) {
    const handler = w.handlers[name];
    if (typeof handler !== 'function') {
      problems.push(`${name}: neither forwarded nor hand-written`);
      continue;
    }
    const op = forwardedOp(handler);
    if (op === undefined) continue;
    forwarded.add(op);
    if (op !== name) problems.push(`${name}: forwards to ${op}, not to the operation of its own name`);
    if (!w.workerOps.has(op)) problems.push(`${name}: forwarded, but the ledger worker has no operation ${op}`);
  }
  for (const op of w.workerOps) {
    if (forwarded.has(op) || w.calledByHandWritten.has(op) || Object.hasOwn(w.internal, op)) continue;
    problems.push(`${op}: a worker operation that no contract method reaches, and not listed in INTERNAL_OPS`);
  }
  for (const [op, reason] of Object.entries(w.internal)) {
    if (!w.workerOps.has(op)) problems.push(`${op}: listed in INTERNAL_OPS, but the ledger worker has no such operation`);
    if (!reason.trim()) problems.push(`${op}: listed in INTERNAL_OPS without a reason`);
  }
  return problems;
}

let f: Fixture;
let wiring: Wiring;

beforeAll(async () => {
  f = await openFixture();
  const ctx = createWorkerContext(f.ledger, () => undefined);
  const workerOps = new Set([...Object.keys(allOps(ctx)), FULL_CHECK_OP]);
  await ctx.jobs.close();
  let calls = new Set<string>();
  const recorder = { call: (op: string) => (calls.add(op), Promise.resolve(undefined)) } as unknown as LedgerClient;
  const handlers = createHandlers(recorder, { version: 'test', mode: 'web', dbPath: 'unused.db' }, {} as never, { sessions: new SessionStore(), safeMode: null }, { desktop: null, downloads: new DownloadTickets() });
  const calledByHandWritten = new Set<string>();
  for (const name of METHOD_NAMES) {
    const handler = handlers[name] as (input: unknown, ctx: unknown) => Promise<unknown>;
    if (forwardedOp(handler) !== undefined) continue;
    calls = new Set();
    try {
      await handler({}, { userId: 1, username: 'admin', permissions: [] });
    } catch {
      // A handler that needs a real answer stops after its first call: what it called is recorded.
    }
    for (const op of calls) calledByHandWritten.add(op);
  }
  wiring = { handlers, calledByHandWritten, workerOps, internal: INTERNAL_OPS };
});
afterAll(() => f.cleanup());

describe('one name from the contract to the ledger worker', () => {
  it('gives every contract method a handler, every forwarder a worker operation of its name, and every worker operation a caller', () => {
    expect(wiringProblems(wiring)).toEqual([]);
  });

  it('forwards every method that only forwards: the hand-written handlers are the ones that work in the main process', () => {
    const handWritten = METHOD_NAMES.filter((m) => forwardedOp(wiring.handlers[m]) === undefined);
    expect(handWritten.sort()).toEqual(
      [
        'app.info', 'demo.load', 'posting.start', 'backups.run', 'exports.start', 'exports.download', 'enquiry.exportStart', 'enquiry.countRefine',
        'scanner.submit', 'scanner.status', 'scanner.configure',
        'auth.status', 'auth.signIn', 'auth.signOut', 'auth.lock', 'auth.configure', 'users.setPermissions', 'users.setDisabled', 'users.setSecret', 'users.clearSecret',
        'desktop.saveDialog', 'desktop.openExport', 'desktop.printToPdf', 'desktop.updateSettings', 'desktop.saveUpdateSettings', 'desktop.checkForUpdates',
      ].sort(),
    );
    expect(METHOD_NAMES.length - handWritten.length).toBe(111);
  });

  it('fails when a method has no handler, a forwarded name has no worker operation, or a worker operation is unreached', () => {
    const without = (set: Set<string>, item: string) => new Set([...set].filter((x) => x !== item));
    const { 'company.get': _dropped, ...handlers } = wiring.handlers;
    expect(wiringProblems({ ...wiring, handlers })).toEqual([
      'company.get: neither forwarded nor hand-written',
      'company.get: a worker operation that no contract method reaches, and not listed in INTERNAL_OPS',
    ]);
    expect(wiringProblems({ ...wiring, workerOps: without(wiring.workerOps, 'operations.receive') })).toEqual([
      'operations.receive: forwarded, but the ledger worker has no operation operations.receive',
    ]);
    expect(wiringProblems({ ...wiring, workerOps: new Set([...wiring.workerOps, 'opsReceive']) })).toEqual([
      'opsReceive: a worker operation that no contract method reaches, and not listed in INTERNAL_OPS',
    ]);
    const { enquirySnapshotsTick: _tick, ...internal } = wiring.internal;
    expect(wiringProblems({ ...wiring, internal })).toEqual(['enquirySnapshotsTick: a worker operation that no contract method reaches, and not listed in INTERNAL_OPS']);
    expect(wiringProblems({ ...wiring, internal: { ...wiring.internal, oldOp: 'gone' } })).toEqual(['oldOp: listed in INTERNAL_OPS, but the ledger worker has no such operation']);
  });

  it('forwards the parsed input whole and the caller without its session, under the method\'s name', async () => {
    const seen: unknown[][] = [];
    const ledger = { call: (...args: unknown[]) => (seen.push(args), Promise.resolve({ ok: 1 })) } as unknown as LedgerClient;
    const handlers = forwardToLedger(companyMethods, ledger);
    const input = { step: 'site' } as Parameters<Handlers['company.setupStep']>[0];
    await expect(handlers['company.setupStep'](input, { userId: 7, username: 'sam', permissions: ['a'], sessionId: 's-1' })).resolves.toEqual({ ok: 1 });
    expect(seen).toEqual([['company.setupStep', input, { userId: 7, username: 'sam', permissions: ['a'] }]]);
  });

  it('makes a method that is neither hand-written nor answered by a worker operation a type error, and an extra handler too', () => {
    const ledger = { call: () => Promise.resolve(undefined) } as unknown as LedgerClient;
    // @ts-expect-error the desktop methods have no worker operations, so each needs a hand-written handler
    const desktop = forwardToLedger(desktopMethods, ledger);
    // Past the type error, the wiring check catches it too.
    expect(wiringProblems({ ...wiring, handlers: { ...wiring.handlers, ...desktop } })).toContain('desktop.saveDialog: forwarded, but the ledger worker has no operation desktop.saveDialog');
    // @ts-expect-error 'company.rename' is not a method of the company slice
    const extra = forwardToLedger(companyMethods, ledger, { 'company.rename': async () => null });
    expect(Object.keys(extra)).toContain('company.rename');
  });
});
