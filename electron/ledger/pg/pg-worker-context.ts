import type pg from 'pg';
import { AppError, type WireError } from '../../../shared/contract/errors';
import { jobRegistry } from '../../jobs/job-registry';
import type { PgWorkerContext } from './pg-ops';
import type { PgConnection } from './pg-types';

/** A PostgreSQL error in the user's words: what happened and what to do (the twin of worker-context.ts's toWire). */
export function pgToWire(e: unknown): WireError {
  if (e instanceof AppError) return e.toWire();
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '57P01' || code === '57P03' || /Connection terminated/i.test(message)) {
    return { code: 'UNAVAILABLE', message: `The PostgreSQL server cannot be reached (${message}). Nothing was saved; check that it is running and try again.` };
  }
  if (code === '53100') return { code: 'UNAVAILABLE', message: 'The PostgreSQL server\'s disk is full, so nothing was saved. Free space on it and try again.' };
  return { code: 'INTERNAL', message: `Stockbook hit an unexpected error (${message}). Nothing was changed; try again, and report it if it repeats.` };
}

export function createPgWorkerContext(pool: pg.Pool, connection: PgConnection, emit: (event: string, payload: unknown) => void, clock: () => number = Date.now): PgWorkerContext {
  return { pool, connection, clock, emit, ...jobRegistry(emit, pgToWire) };
}
