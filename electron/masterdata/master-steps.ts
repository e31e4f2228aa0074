import { driveAsync, driveSync } from '../ledger/steps';
import type { MasterRecords } from './master-records';

/** What the master-data rules ask of a store: every call of MasterRecords but the transaction itself. */
export type MasterCalls = Omit<MasterRecords, 'transaction'>;

/** The same calls answered at once (SQLite's prepared statements on the ledger worker). */
export type SyncMasterCalls = {
  [K in keyof MasterCalls]: MasterCalls[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never;
};

/** One question to the store: the call's name and its arguments. */
export interface Ask {
  call: keyof MasterCalls;
  args: unknown[];
}

/**
 * A piece of the rules: a generator that yields each store call it needs and is resumed with the answer (or has the
 * store's error thrown into it). Written once, it runs synchronously on SQLite (runSync) and asynchronously on
 * PostgreSQL (runAsync): one code path for the rules, whichever database answers.
 */
export type Step<T> = Generator<Ask, T, unknown>;

type Asker = { [K in keyof MasterCalls]: (...a: Parameters<MasterCalls[K]>) => Asked<Awaited<ReturnType<MasterCalls[K]>>> };

/**
 * One question, as `yield*` takes it: it yields itself once and returns the answer it is resumed with (an error thrown
 * into it goes on to the rule). A plain iterator rather than a generator: one is made for every call of a rule.
 */
class Asked<T> implements Ask, Iterator<Ask, T, unknown>, Iterable<Ask, T, unknown> {
  private asked = false;
  constructor(readonly call: keyof MasterCalls, readonly args: unknown[]) {}
  next(answer?: unknown): IteratorResult<Ask, T> {
    if (this.asked) return { done: true, value: answer as T };
    this.asked = true;
    return { done: false, value: this };
  }
  throw(e: unknown): IteratorResult<Ask, T> {
    throw e;
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * `yield* ask.site(id)` in a rule: the site, from whichever store runs the rule. Each call's asker is made on its first
 * use and kept as the object's own property, so later uses find it without passing through the proxy.
 */
export const ask: Asker = Object.create(
  new Proxy({}, {
    get: (_, call, receiver: object) => {
      const asker = (...args: unknown[]) => new Asked(call as keyof MasterCalls, args);
      Object.defineProperty(receiver, call, { value: asker });
      return asker;
    },
  }),
) as Asker;

/** Runs a rule on a store that answers at once: synchronous throughout, so it fits inside better-sqlite3's transaction. */
export function runSync<T>(step: Step<T>, calls: SyncMasterCalls): T {
  return driveSync(step, ({ call, args }) => (calls[call] as (...a: unknown[]) => unknown).apply(calls, args));
}

/** Runs a rule on an asynchronous store (one transaction's MasterRecords). */
export function runAsync<T>(step: Step<T>, calls: MasterCalls): Promise<T> {
  return driveAsync(step, ({ call, args }) => (calls[call] as (...a: unknown[]) => Promise<unknown>).apply(calls, args));
}
