import type Database from 'better-sqlite3';

/**
 * A store made once per connection, on first use, for code handed only the connection (`audit(db, …)`): its statements
 * are then prepared once per connection rather than per call. The store goes with the connection.
 */
export function perConnection<S>(make: (db: Database.Database) => S): (db: Database.Database) => S {
  const stores = new WeakMap<Database.Database, S>();
  return (db) => {
    let store = stores.get(db);
    if (store === undefined) stores.set(db, (store = make(db)));
    return store;
  };
}
