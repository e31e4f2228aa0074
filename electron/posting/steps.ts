/** A value a store gives now (SQLite: settled, on the one writer) or later (PostgreSQL: a query). */
export type Awaitable<T> = T | Promise<T>;

/**
 * A posting rule written once for both stores: a generator that yields each store call's answer (`yield* value(...)`)
 * and is run synchronously over SQLite's settled values (runNow) or asynchronously over PostgreSQL's promises (runLater).
 * The rule's code path is the same; only the driver differs.
 */
export type Steps<T> = Generator<unknown, T, unknown>;

/** One store call's answer inside a Steps generator. */
export function* value<T>(v: Awaitable<T>): Generator<unknown, T, unknown> {
  return (yield v) as T;
}

/** Runs steps whose every answer is already there (SQLite): a promise here is a programming error. */
export function runNow<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) {
    if (r.value instanceof Promise) throw new Error('A synchronous posting step was given a promise (a PostgreSQL store needs runLater).');
    r = steps.next(r.value);
  }
  return r.value;
}

/** Runs steps awaiting each answer that is a promise (a settled value goes straight back, with no extra turn). */
export async function runLater<T>(steps: Steps<T>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    if (r.value instanceof Promise) {
      let answer: unknown;
      try {
        answer = await r.value;
      } catch (e) {
        r = steps.throw(e);
        continue;
      }
      r = steps.next(answer);
    } else r = steps.next(r.value);
  }
  return r.value;
}
