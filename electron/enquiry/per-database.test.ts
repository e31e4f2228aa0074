import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { perDatabase } from './per-database';

const open: Database.Database[] = [];
const connection = () => {
  const db = new Database(':memory:');
  open.push(db);
  return db;
};
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('one instance per database connection', () => {
  it('makes it the first time a connection asks and hands the same one back after; another connection gets its own', () => {
    let made = 0;
    const of = perDatabase((db) => ({ db, n: ++made }));
    const a = connection();
    const b = connection();
    const first = of(a);
    expect(of(a)).toBe(first);
    expect(first).toEqual({ db: a, n: 1 });
    expect(of(b)).toEqual({ db: b, n: 2 });
    expect(of(a)).toBe(first);
    expect(made).toBe(2);
  });
});
