/** An Awaitable answer as given at once: the promise taken off (an answer that is a promise on every store stays one). */
type Now<R> = [Exclude<R, Promise<unknown>>] extends [never] ? R : Exclude<R, Promise<unknown>>;
/** An Awaitable answer as given later: always a promise (an answer that is never a promise stays as it is). */
type Later<R> = [Extract<R, Promise<unknown>>] extends [never] ? R : Promise<Awaited<R>>;

/**
 * A store interface, written once for both stores with Awaitable answers, as SQLite's store answers it: at once.
 * A worker operation that must answer in the same turn holds its store as this, typed against the interface rather
 * than the class: `const sites: AnsweredNow<SiteListRecords> = new SiteList(db)`. Only for interfaces without generic
 * methods (a generic method's type parameters would be fixed at their constraints): such an interface declares its
 * own answered-now shape beside it (StockOperationsNow).
 */
export type AnsweredNow<I> = { [K in keyof I]: I[K] extends (...args: infer A) => infer R ? (...args: A) => Now<R> : I[K] };

/** A store interface as PostgreSQL's store answers it: with a promise (see AnsweredNow), as a PostgreSQL operation must answer. */
export type AnsweredLater<I> = { [K in keyof I]: I[K] extends (...args: infer A) => infer R ? (...args: A) => Later<R> : I[K] };
