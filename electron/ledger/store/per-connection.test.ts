import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { perConnection } from './per-connection';

describe('perConnection', () => {
  it('makes a store once per connection, on first use, and another for another connection', () => {
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    try {
      const made: Database.Database[] = [];
      const storeOf = perConnection((db) => {
        made.push(db);
        return { one: db.prepare('SELECT 1').pluck() };
      });
      expect(made).toEqual([]);
      const first = storeOf(a);
      expect(storeOf(a)).toBe(first);
      expect(first.one.get()).toBe(1);
      const other = storeOf(b);
      expect(other).not.toBe(first);
      expect(made).toEqual([a, b]);
    } finally {
      a.close();
      b.close();
    }
  });
});
