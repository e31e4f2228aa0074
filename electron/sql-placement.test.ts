import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlacement, isScanned, isStoreModule, readsAsSql, scannedFiles, sqlSites } from './sql-placement';

/**
 * Issue 17, step one: a capability's SQL lives only in its store module(s) (the naming rule: sql-placement.ts).
 *
 * The files below still hold SQL outside a store, each with its number of SQL sites. The list is a ratchet: a file not
 * on it may not gain SQL, a listed file may not gain sites, and a file that loses sites must lower (or drop) its entry
 * so the list only shrinks. When this fails after moving SQL into a store, do what the message says.
 */
const STILL_TO_MOVE: Readonly<Record<string, number>> = {
};

const root = join(import.meta.dirname, '..');

const electronFiles = () => scannedFiles(root);

/** The guard's failures naming one file planted among the real ones. */
function plantedFailures(path: string, source: string): string[] {
  const files = electronFiles();
  files.set(path, source);
  return checkPlacement(files, STILL_TO_MOVE).failures.filter((f) => f.includes(path));
}

const sum = (counts: Iterable<number>) => [...counts].reduce((a, b) => a + b, 0);

describe('SQL lives only in store modules', () => {
  it('holds no SQL outside a store module but in the listed files, and none of those gains SQL', () => {
    const files = electronFiles();
    const report = checkPlacement(files, STILL_TO_MOVE);
    let inStores = 0;
    for (const [path, source] of files) if (isStoreModule(path)) inStores += sqlSites(path, source).length;
    console.info(`SQL sites outside store modules: ${sum(report.outside.values())} in ${report.outside.size} files; inside store modules: ${inStores}.`);
    expect(report.failures).toEqual([]);
  });

  const planted = "import type Database from 'better-sqlite3';\nexport const names = (db: Database.Database) => db.prepare('SELECT name FROM products').all();\n";

  it('fails when a file outside the stores gains SQL, naming the file and the line', () => {
    const failures = plantedFailures('electron/counts/planted.ts', planted);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('electron/counts/planted.ts holds SQL outside a store module (1 site(s))');
    expect(failures[0]).toContain('electron/counts/planted.ts:2  .prepare(SELECT name FROM products)');
  });

  it('lets the same SQL live in a store module', () => {
    const files = new Map([['electron/counts/planted-store.ts', planted], ['electron/ledger/store/planted.ts', planted]]);
    expect(checkPlacement(files, {})).toEqual({ outside: new Map(), failures: [] });
  });

  it('fails when a listed file gains SQL, and when it loses SQL without the list shrinking', () => {
    const listed = { 'electron/operations/old.ts': 1, 'electron/operations/moved.ts': 2, 'electron/operations/gone.ts': 1 };
    const files = new Map([
      ['electron/operations/old.ts', `${planted}export const q = 'UPDATE products SET name = ? WHERE id = ?';\n`],
      ['electron/operations/moved.ts', planted],
    ]);
    expect(checkPlacement(files, listed).failures).toEqual([
      expect.stringContaining('electron/operations/old.ts holds 2 SQL sites, more than the 1 still allowed'),
      'electron/operations/moved.ts now holds 1 SQL sites, fewer than the 2 listed: lower its count in the allow-list to 1.',
      'electron/operations/gone.ts holds no SQL outside a store any more (or is gone): remove it from the allow-list.',
    ]);
  });

  it('names store modules by the word store, not by the letters', () => {
    for (const p of ['electron/safety/restore.ts', 'electron/counts/counts.ops.ts', 'electron/x/storefront.ts']) expect(isStoreModule(p), p).toBe(false);
  });

  it('skips tests, crash tests, migrations and entity definitions', () => {
    for (const p of ['electron/counts/counts.test.ts', 'electron/safety/crash.crash.ts', 'electron/ledger/migrations/0001-init.ts', 'electron/ledger/entities/count.entities.ts', 'renderer/app.ts']) {
      expect(isScanned(p), p).toBe(false);
    }
  });

  it('reads SQL statements and fragments as SQL, and the user messages and other texts as not', () => {
    for (const sql of [
      'SELECT id FROM products WHERE sku = ?',
      'INSERT OR IGNORE INTO bins (code) VALUES (?)',
      'UPDATE count_lines SET counted_qty = ? WHERE id = ?',
      'DELETE FROM count_line_codes',
      'CREATE UNIQUE INDEX IDX_x ON t (a)',
      'm.occurred_at >= @from',
      'p.stock_type AS stockType',
      'expiry IS NOT NULL',
      'ORDER BY p.sku',
      'LIMIT @cap',
      'BEGIN',
      'BEGIN IMMEDIATE',
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      'COMMIT',
      'ROLLBACK',
      'ROLLBACK TO SAVEPOINT chunk',
      'SAVEPOINT chunk',
      'SELECT 1',
      'SELECT pg_try_advisory_lock($1)',
      'pg_advisory_xact_lock(§)',
      'LOCK TABLE finance_accounts, posting_rules IN SHARE ROW EXCLUSIVE MODE',
      'TRUNCATE stock_snapshots',
      'SET LOCAL lock_timeout = 1000',
      // Whole statements in lower or mixed case.
      'select id, sku from products where sku = $1',
      'select * from movements',
      'Select p.id AS id FROM products p order by p.sku',
      'insert into bins (code) values (?)',
      'update products set name = ? where id = ?',
      'delete from count_line_codes where line_id = ?',
      'delete from stock_snapshots',
      'create index if not exists idx_x on t (a)',
      'select count(*) from movements',
      'select sum(qty) from movements where product_id = $1',
      'select coalesce(max(seq), 0) from movements',
      'insert into bins values (?)',
      'insert into t select * from u',
      'select § from t',
      'with recent as (select seq from movements) select * from recent',
      'select id from products for update',
    ]) {
      expect(readsAsSql(sql), sql).toBe(true);
    }
    for (const text of [
      'Select a site from the list, then update the count.',
      'The count of SKU-1 on SC-000001 was changed by someone else. Reload and try again.',
      'Delete from the list?',
      '<c r="A1" t="s"><v>§</v></c>',
      'http://127.0.0.1:§/#token=§',
      ' AND ',
      'Begin the count when the site is quiet.',
      'Commit failed: try again.',
      'Select 1 site or more.',
      'The batch began (BEGIN marker) but did not finish.',
      'Select one from the list.',
      'select a product from the list, then count it',
      'Delete from the count the lines you did not scan.',
      'Update the product, set its price and save.',
      'insert into the sheet the lines below',
      'Create an index card for each bin.',
      'Select all from the list',
      'Select one from the list',
      'Select bins from this site',
      'Delete from stock',
      'Delete from the list?',
      'Create table of contents',
      'Alter view settings',
      'Create index cards (one per bin)',
      'Select rows from the table order by date',
    ]) {
      expect(readsAsSql(text), text).toBe(false);
    }
  });

  it('counts a database call with its literal once, and leaves RegExp#exec and comments alone', () => {
    const source = [
      "// SELECT id FROM products WHERE sku = ?",
      "const a = db.prepare('SELECT id FROM products WHERE sku = ?');",
      "const b = /^(\\d+)$/.exec(text);",
      "const c = PATTERN.exec(text);",
      "db.exec('BEGIN');",
      "db.pragma('foreign_keys = ON');",
      "const d = `SELECT ${cols} FROM movements m WHERE m.seq > ?`;",
    ].join('\n');
    expect(sqlSites('x.ts', source).map((s) => s.line)).toEqual([2, 5, 6, 7]);
  });

  it("reads node-postgres's .query( as a SQL call whatever its argument, and fails a file outside the stores that makes one", () => {
    const source = [
      "import type pg from 'pg';",
      'export async function ping(pool: pg.Pool, c: pg.PoolClient, text: string, lines: string[]): Promise<void> {',
      "  await pool.query('SELECT 1');",
      "  await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');",
      '  await c.query(text, [1]);',
      "  await c.query({ text, values: [2] });",
      "  await c.query(lines.join('; '));",
      "  await c.query('SELECT pg_advisory_unlock($1)', [7]);",
      "  await c.query('COMMIT').catch(() => c.query('ROLLBACK'));",
      '}',
    ].join('\n');
    expect(sqlSites('x.ts', source).map((s) => s.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 9]);
    const failures = plantedFailures('electron/operations/planted-child.ts', source);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('electron/operations/planted-child.ts holds SQL outside a store module (8 site(s))');
    expect(failures[0]).toContain('electron/operations/planted-child.ts:3  .query(SELECT 1)');
    expect(failures[0]).toContain('electron/operations/planted-child.ts:9  .query(ROLLBACK)');
  });
});
