import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

/** Every prepared statement an object holds, directly or in a plain record of statements (the poster's `stmt`). */
function statementsOf(holder: object): Database.Statement[] {
  const found: Database.Statement[] = [];
  for (const value of Object.values(holder)) {
    if (value && typeof value === 'object' && typeof (value as Database.Statement).source === 'string') found.push(value as Database.Statement);
    else if (value && typeof value === 'object' && value.constructor === Object) found.push(...statementsOf(value as object));
  }
  return found;
}

/** The query plan's steps for a statement, its parameters bound to NULL. */
function planOf(db: Database.Database, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

describe('the document poster on a large ledger', () => {
  it('finds every row it reads through an index (cost per movement does not grow with the ledger)', () => {
    const { db, poster } = f.ledger;
    const inner = poster as unknown as { stmt: object; state: object };
    const statements = [...statementsOf(inner.stmt), ...statementsOf(inner.state)];
    expect(statements.length).toBeGreaterThanOrEqual(15);
    const scans: string[] = [];
    for (const st of statements) {
      for (const step of planOf(db, st.source)) {
        // The chain head walks the rowid backwards and stops at the first row: the one scan that reads one row.
        const headRead = /ORDER BY seq DESC LIMIT 1$/.test(st.source.trim()) && step === 'SCAN movements';
        if (step.startsWith('SCAN') && !headRead) scans.push(`${step} in: ${st.source}`);
      }
    }
    expect(scans).toEqual([]);
  });

  it('reads by the keys the poster looks rows up by: idempotency key, batch, serial, stock level, cost', () => {
    const { db, poster } = f.ledger;
    const inner = poster as unknown as { stmt: object; state: object };
    const plans = [...statementsOf(inner.stmt), ...statementsOf(inner.state)].flatMap((st) => planOf(db, st.source)).join('\n');
    expect(plans).toMatch(/SEARCH documents USING (COVERING )?INDEX \S+ \(idempotency_key=\?\)/);
    expect(plans).toMatch(/SEARCH batches USING (COVERING )?INDEX \S+ \(product_id=\? AND code=\?\)/);
    expect(plans).toMatch(/SEARCH serial_units USING (COVERING )?INDEX \S+ \(product_id=\? AND serial=\?\)/);
    expect(plans).toMatch(/SEARCH stock_levels USING (COVERING )?INDEX \S+ \(product_id=\? AND site_id=\?\)/);
    expect(plans).toMatch(/SEARCH c USING (COVERING )?INDEX \S+ \(product_id=\? AND site_id=\?\)/);
  });
});
