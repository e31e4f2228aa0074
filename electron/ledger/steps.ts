/** A value a store gives now (SQLite: settled, on the one writer) or later (PostgreSQL: a query). */
export type Awaitable<T> = T | Promise<T>;

/**
 * Rules written once for both stores are generators: each yields what it asks of its store and is resumed with the
 * answer (or has the store's error thrown into it). SQLite's driver answers synchronously, inside better-sqlite3's
 * transaction on the one writer; PostgreSQL's awaits each answer inside its transaction. The rules' code path is the
 * same; only the driver differs. `answer` turns what a step yielded into the store's answer.
 */
export function driveSync<Y, T>(steps: Generator<Y, T, unknown>, answer: (asked: Y) => unknown): T {
  let r = steps.next();
  while (!r.done) {
    let got: unknown;
    try {
      got = answer(r.value);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next(got);
  }
  return r.value;
}

/** driveSync for a store that answers later: each answer that is a promise is awaited (a settled value goes straight back, with no extra turn). */
export async function driveAsync<Y, T>(steps: Generator<Y, T, unknown>, answer: (asked: Y) => unknown): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    let got: unknown;
    try {
      got = answer(r.value);
      if (got instanceof Promise) got = await got;
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next(got);
  }
  return r.value;
}

/** Steps that yield the store's answer itself (`yield* value(store.call(...))`): the posting rules. */
export type Steps<T> = Generator<unknown, T, unknown>;

/** One store call's answer inside a Steps generator. */
export function* value<T>(v: Awaitable<T>): Generator<unknown, T, unknown> {
  return (yield v) as T;
}

/** Runs steps whose every answer is already there (SQLite): a promise here is a programming error. */
export function runNow<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) {
    if (r.value instanceof Promise) throw new Error('A synchronous step was given a promise (a PostgreSQL store needs runLater).');
    r = steps.next(r.value);
  }
  return r.value;
}

/** Runs steps awaiting each answer that is a promise. */
export function runLater<T>(steps: Steps<T>): Promise<T> {
  return driveAsync(steps, (v) => v);
}

/**
 * `steps` that stop once `signal` aborts: after each answer, before the next step, `stopped()` is thrown into nothing
 * (the transaction they run in rolls back, so whatever they wrote goes with it). SQLite's steps run without a pause,
 * so there only an abort before they start is seen; PostgreSQL's await each answer, so a cancel lands between two.
 */
export function* untilAborted<T>(steps: Steps<T>, signal: AbortSignal, stopped: () => Error): Steps<T> {
  let r = steps.next();
  while (!r.done) {
    let got: unknown;
    try {
      got = yield r.value;
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    if (signal.aborted) {
      steps.return(undefined as T);
      throw stopped();
    }
    r = steps.next(got);
  }
  return r.value;
}
