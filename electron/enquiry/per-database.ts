import type Database from 'better-sqlite3';

/**
 * One instance per database connection, made the first time it is asked: a store behind a plain function
 * (`productDetails(db, id)`) then prepares its statements once per connection, not once per call.
 */
export function perDatabase<T>(make: (db: Database.Database) => T): (db: Database.Database) => T {
  const made = new WeakMap<Database.Database, T>();
  return (db) => {
    let x = made.get(db);
    if (x === undefined) made.set(db, (x = make(db)));
    return x;
  };
}
