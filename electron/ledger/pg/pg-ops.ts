import type pg from 'pg';
import { AppError } from '../../../shared/contract/errors';
import type { LedgerOp, LedgerOps } from '../ledger-protocol';
import type { PgConnection } from './pg-types';
import type { JobHost } from '../../jobs/job-registry';

/**
 * The ledger's operations on a PostgreSQL ledger: the same names, arguments and answers as the SQLite worker's
 * (ledger-protocol.ts), each answered asynchronously (every PostgreSQL call is a round trip). The LedgerClient awaits
 * either kind, so the handlers, the contract and the renderer are the same on both stores.
 */
export type PgLedgerOps = {
  [K in LedgerOp]: (...args: Parameters<LedgerOps[K]>) => Promise<Awaited<ReturnType<LedgerOps[K]>>>;
};

/** What every capability's PostgreSQL operations get: the pool, events and background jobs (the twin of WorkerContext). */
export interface PgWorkerContext extends JobHost {
  pool: pg.Pool;
  connection: PgConnection;
  /** The clock every operation's times come from (tests pass their own). */
  clock: () => number;
}

/** One capability's operations on PostgreSQL: `electron/<capability>/<capability>.pg-ops.ts`, listed in pg-worker-ops.ts. */
export type PgOpsFactory = (ctx: PgWorkerContext) => Partial<PgLedgerOps>;

/** What a user is told for an operation whose capability has no PostgreSQL store yet: what, and what to do instead. */
export function notOnPostgres(op: string): AppError {
  return new AppError(
    'UNAVAILABLE',
    `${capabilityOf(op)} is not available on a PostgreSQL ledger in this version of Stockbook (operation ${op}). Nothing was changed. Use it on a SQLite ledger, or ask your administrator which Stockbook version brings it to the server.`,
    { operation: op, notOnPostgres: true },
  );
}

const CAPABILITY_NAMES: Record<string, string> = {
  operations: 'This stock operation',
  counts: 'This part of stock counts',
  posting: 'This part of finance posting',
  enquiry: 'This enquiry',
  exports: 'Exporting',
  backups: 'Backup and restore from the app',
  catalog: 'Catalog import and export',
  company: 'Company settings',
  suppliers: 'Suppliers',
  recipes: 'Recipes',
  masterdata: 'This master-data change',
  users: 'User management',
  audit: 'The audit log',
  scanner: 'Scanner look-up',
};

function capabilityOf(op: string): string {
  const prefix = op.includes('.') ? op.slice(0, op.indexOf('.')) : op.replace(/[A-Z].*$/, '');
  return CAPABILITY_NAMES[prefix] ?? 'This function';
}

/** Whether `e` is the not-on-PostgreSQL refusal (the composition root may go without an operation nobody provides yet). */
export function isNotOnPostgres(e: unknown): boolean {
  return e instanceof AppError && (e.details as { notOnPostgres?: unknown } | undefined)?.notOnPostgres === true;
}

/**
 * Every operation of LedgerOps, answered: by the one capability factory that provides it, or, asked for anything else
 * (an operation nobody provides yet, or a name that is no operation at all), by the not-on-PostgreSQL refusal. Refused
 * at dispatch, so no list of names has to be kept beside LedgerOps.
 */
export function mergePgOps(ctx: PgWorkerContext, factories: readonly PgOpsFactory[]): PgLedgerOps {
  const merged: Partial<Record<string, (...a: never[]) => Promise<unknown>>> = {};
  for (const f of factories) {
    for (const [name, fn] of Object.entries(f(ctx)) as [LedgerOp, (...a: never[]) => Promise<unknown>][]) {
      if (merged[name]) throw new Error(`Two PostgreSQL capabilities both provide ${name}.`);
      merged[name] = fn;
    }
  }
  return opsOrRefusal(merged as Partial<PgLedgerOps>, (op) => notOnPostgres(op));
}

/**
 * `ops` as every operation of PgLedgerOps: those it has, and for any other name an operation that rejects with
 * `refusal(name)`. `then` stays undefined, so the operations are never mistaken for a promise.
 */
export function opsOrRefusal(ops: Partial<PgLedgerOps>, refusal: (op: string) => AppError): PgLedgerOps {
  return new Proxy(ops as PgLedgerOps, {
    get: (target, prop) => (typeof prop !== 'string' || prop === 'then' ? undefined : Object.hasOwn(target, prop) ? target[prop as LedgerOp] : () => Promise.reject(refusal(prop))),
    has: (target, prop) => typeof prop === 'string' && Object.hasOwn(target, prop),
  });
}
