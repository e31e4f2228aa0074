import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyMethods } from '../../shared/contract/company.methods';
import { desktopMethods } from '../../shared/contract/desktop.methods';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/methods';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { SessionStore } from '../auth/sessions';
import { DownloadTickets } from '../exports/download-tickets';
import { INTERNAL_OPS } from '../ledger/internal-ops';
import type { LedgerClient } from '../ledger/ledger-client';
import type { FullCheckOps } from '../safety/worker-start';
import { createWorkerContext } from '../ledger/worker-context';
import { allOps } from '../ledger/worker-ops';
import type { PgWorkerContext } from '../ledger/pg/pg-ops';
import { PG_CAPABILITIES } from '../ledger/pg/pg-worker-ops';
import { workerCallsByHandler } from './handler-calls';
import { forwardedOp, forwardToLedger } from './forward-to-ledger';
import type { Handlers } from './dispatcher';
import { createHandlers } from './handlers';

/** The full check's start joins the worker's table in worker-start.ts, outside allOps. */
const FULL_CHECK_OP: keyof FullCheckOps = 'safetyStartFullCheck';

/**
 * The hand-written handlers that reach the ledger worker only under other names than their own, each with why: none of
 * them is an operation of the ledger (each works in the main process and asks the worker for facts or an audit entry).
 * Every other handler that reaches the worker reaches the worker operation of its own name.
 */
const OTHER_NAMES: Partial<Record<MethodName, string>> = {
  'app.info': "the app's own facts (version, mode, file) joined with the ledger's counts and the caller's user (counts, user)",
  'auth.signIn': 'the session and the secret check live in the main process; the worker finds the user (authFind) and audits (authAudit)',
  'auth.signOut': 'the session lives in the main process; the worker only audits the sign-out (authAudit)',
  'auth.lock': 'the session lives in the main process; the worker only audits the lock (authAudit)',
  'exports.download': "a download ticket of this process's web server, for the finished export the worker's exports.job names",
};

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..', '..');

/** The worker operations each hand-written handler names, read from every `electron/**\/*.handlers.ts`. */
function handWrittenCalls(): Map<string, Set<string>> {
  const all = new Map<string, Set<string>>();
  const electron = join(ROOT, 'electron');
  for (const file of readdirSync(electron, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.handlers.ts'))) {
    for (const [name, ops] of workerCallsByHandler(relative(ROOT, join(electron, file)), readFileSync(join(electron, file), 'utf8'))) {
      all.set(name, new Set([...(all.get(name) ?? []), ...ops]));
    }
  }
  return all;
}

/** The names of the PostgreSQL operations every capability provides (built on a pool that is never asked anything). */
/** Worker operations PostgreSQL's server answers itself, outside the capabilities (each with where). */
const PG_HOST_OPS: Readonly<Record<string, string>> = {
  [FULL_CHECK_OP]: 'pg-host.ts: the server starts the full check on its own pool once it is up',
};

function pgOpNames(): Set<string> {
  const never = () => {
    throw new Error('not called: only the names of the operations are read');
  };
  const ctx = { pool: { options: { max: 2 } }, connection: {}, clock: Date.now, emit: never, startJob: never, cancelJob: never } as unknown as PgWorkerContext;
  return new Set(PG_CAPABILITIES.flatMap((capability) => Object.keys(capability(ctx))));
}

interface Wiring {
  handlers: Record<string, unknown>;
  /** Worker operations each hand-written handler called (recorded by a ledger that answers nothing). */
  calledByHandWritten: Set<string>;
  workerOps: Set<string>;
  internal: Record<string, string>;
  /** The worker operations each hand-written handler names in its source (handler-calls.ts). */
  handWrittenCalls: Map<string, Set<string>>;
  /** Hand-written handlers allowed to reach the worker only under other names (OTHER_NAMES). */
  otherNames: Record<string, string>;
  /** The PostgreSQL operations' names. */
  pgOps: Set<string>;
}

/**
 * What is wrong with the wiring from the contract to the worker: a method with no handler; a forwarder whose worker
 * operation is missing (or that forwards under another name); a hand-written handler that reaches the worker under
 * another name than its own (unless OTHER_NAMES says why); a worker operation of a method's name that its handler does
 * not reach; a worker operation that no contract method reaches and that is not listed as internal with a reason; an
 * internal listing of an operation the worker does not have; a PostgreSQL operation under a name the worker does not
 * have (the store would answer a name no caller uses, and refuse the one they do).
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
  const reachedByHandWritten = new Set<string>();
  for (const name of METHOD_NAMES) {
    if (typeof w.handlers[name] !== 'function' || forwardedOp(w.handlers[name]) !== undefined) continue;
    const calls = w.handWrittenCalls.get(name) ?? new Set<string>();
    for (const op of calls) reachedByHandWritten.add(op);
    const listed = Object.hasOwn(w.otherNames, name);
    if (calls.size > 0 && !calls.has(name) && !listed) {
      problems.push(`${name}: hand-written, reaches the ledger worker only as ${[...calls].join(', ')}: name its worker operation ${name} (or say in OTHER_NAMES why not)`);
    }
    if (listed && calls.size === 0) problems.push(`${name}: listed in OTHER_NAMES, but reaches no worker operation`);
    if (listed && calls.has(name)) problems.push(`${name}: listed in OTHER_NAMES, but reaches the worker operation of its own name`);
  }
  for (const [name, reason] of Object.entries(w.otherNames)) {
    if (forwardedOp(w.handlers[name]) !== undefined) problems.push(`${name}: listed in OTHER_NAMES, but forwarded`);
    if (!reason.trim()) problems.push(`${name}: listed in OTHER_NAMES without a reason`);
  }
  const methodNames = new Set<string>(METHOD_NAMES);
  for (const op of w.workerOps) {
    if (!methodNames.has(op) || typeof w.handlers[op] !== 'function' || forwarded.has(op) || w.handWrittenCalls.get(op)?.has(op)) continue;
    problems.push(`${op}: a worker operation of a contract method's name that the method's handler does not reach`);
  }
  for (const op of w.pgOps) {
    if (!w.workerOps.has(op)) problems.push(`${op}: a PostgreSQL operation, but the ledger worker has no operation of that name`);
  }
  // PostgreSQL stays complete: an operation no capability provides would only be refused at dispatch (mergePgOps).
  for (const op of w.workerOps) {
    if (!w.pgOps.has(op) && !Object.hasOwn(PG_HOST_OPS, op)) problems.push(`${op}: a worker operation no PostgreSQL capability answers: add it to the capability's *.pg-ops.ts`);
  }
  for (const op of w.workerOps) {
    if (forwarded.has(op) || w.calledByHandWritten.has(op) || reachedByHandWritten.has(op) || Object.hasOwn(w.internal, op)) continue;
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
  wiring = { handlers, calledByHandWritten, workerOps, internal: INTERNAL_OPS, handWrittenCalls: handWrittenCalls(), otherNames: OTHER_NAMES as Record<string, string>, pgOps: pgOpNames() };
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
      'operations.receive: a PostgreSQL operation, but the ledger worker has no operation of that name',
    ]);
    expect(wiringProblems({ ...wiring, workerOps: new Set([...wiring.workerOps, 'opsReceive']) })).toEqual([
      "opsReceive: a worker operation no PostgreSQL capability answers: add it to the capability's *.pg-ops.ts",
      'opsReceive: a worker operation that no contract method reaches, and not listed in INTERNAL_OPS',
    ]);
    const { enquirySnapshotsTick: _tick, ...internal } = wiring.internal;
    expect(wiringProblems({ ...wiring, internal })).toEqual(['enquirySnapshotsTick: a worker operation that no contract method reaches, and not listed in INTERNAL_OPS']);
    expect(wiringProblems({ ...wiring, internal: { ...wiring.internal, oldOp: 'gone' } })).toEqual(['oldOp: listed in INTERNAL_OPS, but the ledger worker has no such operation']);
  });

  it('fails when a hand-written handler reaches the worker, or the PostgreSQL store answers, under another name', () => {
    // The posting handler as it was: the job-start went to the worker as postingStart.
    const before = workerCallsByHandler('posting.handlers.ts', `
      export const h = forwardToLedger(postingMethods, ledger, {
        'posting.start': async (input, ctx) => {
          const jobId = newJobId('posting', ctx);
          await ledger.call('postingStart', jobId, input, ctx.userId);
          return { jobId };
        },
      });`);
    expect(before).toEqual(new Map([['posting.start', new Set(['postingStart'])]]));
    expect(wiringProblems({ ...wiring, handWrittenCalls: new Map([...wiring.handWrittenCalls, ...before]) })).toEqual([
      'posting.start: hand-written, reaches the ledger worker only as postingStart: name its worker operation posting.start (or say in OTHER_NAMES why not)',
      "posting.start: a worker operation of a contract method's name that the method's handler does not reach",
    ]);
    // A handler that no longer reaches the worker operation of its name (users.clearSecret through users.setSecret).
    const cleared = new Map([...wiring.handWrittenCalls, ['users.clearSecret', new Set(['users.setSecret'])]]);
    expect(wiringProblems({ ...wiring, handWrittenCalls: cleared })).toEqual([
      'users.clearSecret: hand-written, reaches the ledger worker only as users.setSecret: name its worker operation users.clearSecret (or say in OTHER_NAMES why not)',
      "users.clearSecret: a worker operation of a contract method's name that the method's handler does not reach",
    ]);
    // OTHER_NAMES holds only handlers that need it, each with its reason.
    expect(wiringProblems({ ...wiring, otherNames: { ...wiring.otherNames, 'users.setSecret': 'checks the current secret', 'auth.status': 'sessions', 'company.get': 'x', 'auth.lock': ' ' } })).toEqual([
      'auth.status: listed in OTHER_NAMES, but reaches no worker operation',
      'users.setSecret: listed in OTHER_NAMES, but reaches the worker operation of its own name',
      'auth.lock: listed in OTHER_NAMES without a reason',
      'company.get: listed in OTHER_NAMES, but forwarded',
    ]);
    const { 'auth.signOut': _signOut, ...fewer } = wiring.otherNames;
    expect(wiringProblems({ ...wiring, otherNames: fewer })).toEqual([
      'auth.signOut: hand-written, reaches the ledger worker only as authAudit: name its worker operation auth.signOut (or say in OTHER_NAMES why not)',
    ]);
    // A PostgreSQL capability that provides an operation under another name than the worker's.
    expect(wiringProblems({ ...wiring, pgOps: new Set([...wiring.pgOps, 'postingStart']) })).toEqual([
      'postingStart: a PostgreSQL operation, but the ledger worker has no operation of that name',
    ]);
    // A worker operation PostgreSQL does not answer (it would be refused there at dispatch).
    expect(wiringProblems({ ...wiring, pgOps: new Set([...wiring.pgOps].filter((op) => op !== 'posting.start')) })).toEqual([
      'posting.start: a worker operation no PostgreSQL capability answers: add it to the capability\'s *.pg-ops.ts',
    ]);
  });

  it('reads the operations of every hand-written handler, and the PostgreSQL store answers the worker\'s names only', () => {
    expect(wiring.handWrittenCalls.get('posting.start')).toEqual(new Set(['posting.start']));
    expect(wiring.handWrittenCalls.get('users.setSecret')).toEqual(new Set(['authFind', 'users.setSecret']));
    expect(wiring.handWrittenCalls.get('auth.configure')).toEqual(new Set(['auth.configure']));
    expect(wiring.pgOps).toContain('users.clearSecret');
    expect(wiring.pgOps.size).toBeGreaterThan(100);
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
