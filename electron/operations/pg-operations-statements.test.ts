import { describe, expect, it } from 'vitest';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { PgOperations } from './pg-operations';

let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

/** Every statement `f.pool`'s clients send while `work` runs: its text (white space folded) and its values. */
async function callsOf(work: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const calls: { text: string; values: unknown[] }[] = [];
  let on = true;
  f.pool.on('acquire', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const q = args[0];
      const text = typeof q === 'string' ? q : ((q as { text?: string }).text ?? '');
      const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : ((q as { values?: unknown[] }).values ?? []);
      if (on) calls.push({ text: text.replace(/\s+/g, ' '), values });
      return query(...args);
    };
  });
  try {
    await work();
  } finally {
    on = false;
  }
  return calls;
}

/** The text of every statement `f.pool`'s clients send while `work` runs. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  return (await callsOf(work)).map((c) => c.text);
}

describe('a PostgreSQL receive holds the chain lock for as few statements as it can (every other server waits on it)', () => {
  it('is five statements: BEGIN with the lock; the key with the products and sites the build reads; the ledger read; the write; COMMIT — a replay three', async () => {
    const ops = new PgOperations(f.pool);
    const receive = { idempotencyKey: 'statements-receive', kind: 'stock_receipt' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, binId: f.ids.binA, qty: 1_000, unitCost: 100 }] };
    const posted = await statementsOf(() => ops.post('receive', receive, f.ids.admin));
    expect(posted).toHaveLength(5);
    expect(posted[0]).toMatch(/^BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock\(\d+\)$/);
    expect(posted[1]).toMatch(/FROM operation_requests.*FROM products WHERE id = ANY\(\$2::int\[\]\).*FROM sites WHERE id = ANY\(\$3::int\[\]\)/);
    expect(posted[2]).toMatch(/^WITH head AS MATERIALIZED/);
    expect(posted[3]).toMatch(/INSERT INTO movements/);
    expect(posted[4]).toBe('COMMIT');
    const replayed = await statementsOf(async () => expect(await ops.post('receive', receive, f.ids.admin)).toMatchObject({ replayed: true }));
    expect(replayed.map((t) => t.slice(0, 30))).toEqual([posted[0]!.slice(0, 30), posted[1]!.slice(0, 30), 'COMMIT']);
    expect((await f.store.verify()).ok).toBe(true);
  });

  // The exports set-up's shape (a sale of 504 lines from the bar): a site without negative stock read with the key,
  // and more lines than the build has passes (11). Its stock levels must be in before the build's first pass in the
  // transaction, or that pass refuses at line 1 (no stock stood in) and each pass finds one line's levels.
  it('a despatch of 12 lines from a site without negative stock is six statements, its stock levels one of them; a line short is refused as such', async () => {
    const reference = new PgReferenceStore(f.pool);
    const products: number[] = [];
    for (let i = 1; i <= 12; i++) products.push(await reference.addProduct({ sku: `STMT-${i}`, name: `Statement product ${i}` }));
    const ops = new PgOperations(f.pool);
    const stock = { idempotencyKey: 'statements-stock', kind: 'stock_receipt' as const, siteId: f.ids.wh, dutyPaid: false, lines: products.map((productId) => ({ productId, binId: f.ids.binA, qty: 5, unitCost: 100 })) };
    expect(await ops.post('receive', stock, f.ids.admin)).toMatchObject({ movementCount: 12 });
    const sale = (key: string, last: number) => ({ idempotencyKey: key, kind: 'sale' as const, siteId: f.ids.wh, lines: products.map((productId, i) => ({ productId, qty: i === 11 ? last : 2 })) });
    await expect(ops.post('despatch', sale('statements-short', 6), f.ids.admin)).rejects.toThrow(/^Line 12: not enough STMT-12 "Statement product 12" at Central Warehouse: available 5, this takes 6, short by 1\./);
    const posted = await statementsOf(() => ops.post('despatch', sale('statements-sale', 2), f.ids.admin));
    expect(posted).toHaveLength(6);
    expect(posted[1]).toMatch(/FROM operation_requests.*FROM products WHERE id = ANY\(\$2::int\[\]\).*FROM sites WHERE id = ANY\(\$3::int\[\]\)/);
    // The levels, with each product/site's latest effective time only where a line names its time (none here).
    expect(posted[2]).toMatch(/MAX\(occurred_at\) FROM movements .*stock_levels sl/);
    expect(posted[3]).toMatch(/^WITH head AS MATERIALIZED/);
    expect(posted[4]).toMatch(/INSERT INTO movements/);
    expect(posted[5]).toBe('COMMIT');
    const left = await f.pool.query<{ qty: string }>('SELECT qty FROM stock_levels WHERE product_id = ANY($1::int[]) AND site_id = $2 ORDER BY product_id', [products, f.ids.wh]);
    expect(left.rows.map((r) => Number(r.qty))).toEqual(products.map(() => 3));
    expect((await f.store.verify()).ok).toBe(true);
  });

  it('the latest effective time is read only for a document that names its time, in the levels\' statement: six statements either way, eight when a later movement asks for the balance and the bins/batches then', async () => {
    const reference = new PgReferenceStore(f.pool);
    const products: number[] = [];
    for (let i = 1; i <= 3; i++) products.push(await reference.addProduct({ sku: `LATEST-${i}`, name: `Latest product ${i}` }));
    const ops = new PgOperations(f.pool);
    const stock = { idempotencyKey: 'latest-stock', kind: 'stock_receipt' as const, siteId: f.ids.wh, dutyPaid: false, occurredAt: '2026-06-01T09:00:00.000Z', lines: products.map((productId) => ({ productId, binId: f.ids.binA, qty: 5, unitCost: 100 })) };
    await ops.post('receive', stock, f.ids.admin);
    const sale = (key: string, occurredAt?: string) => ({ idempotencyKey: key, kind: 'sale' as const, siteId: f.ids.wh, ...(occurredAt ? { occurredAt } : {}), lines: products.map((productId) => ({ productId, qty: 1 })) });
    const levelsCall = (calls: { text: string; values: unknown[] }[]) => calls.find((c) => c.text.includes('LEFT JOIN (stock_levels sl'))!;
    // Named, after the receipt: its latest time is asked with the levels (no statement more); nothing is later, so no
    // balance by effective time is read.
    const named = await callsOf(() => ops.post('despatch', sale('latest-named', '2026-06-02T09:00:00.000Z'), f.ids.admin));
    expect(named).toHaveLength(6);
    expect(levelsCall(named).values[2]).toEqual([true, true, true]);
    // Naming no time: takes effect now, where the current levels are its balance; no latest time is read.
    const now = await callsOf(() => ops.post('despatch', sale('latest-now'), f.ids.admin));
    expect(now).toHaveLength(6);
    expect(levelsCall(now).values[2]).toEqual([false, false, false]);
    // Named before that sale: every line's balance from then on in ONE statement more (each line its own pass before),
    // and what came into each bin/batch after it in one more, in the same pass.
    const backdated = await callsOf(() => ops.post('despatch', sale('latest-backdated', '2026-06-03T09:00:00.000Z'), f.ids.admin));
    expect(backdated).toHaveLength(8);
    expect(backdated[3]!.text).toMatch(/CROSS JOIN LATERAL/);
    expect(backdated[3]!.values[0]).toEqual(products);
    expect(backdated[4]!.text).toMatch(/PARTITION BY k\.p, k\.s, k\.t, m\.batch_id ORDER BY m\.occurred_at/);
    expect(backdated[4]!.values[0]).toEqual(products);
    const left = await f.pool.query<{ qty: string }>('SELECT qty FROM stock_levels WHERE product_id = ANY($1::int[]) AND site_id = $2 ORDER BY product_id', [products, f.ids.wh]);
    expect(left.rows.map((r) => Number(r.qty))).toEqual([2, 2, 2]);
  });

  it('a kit sale writes which kit line each component movement came from in the posting\'s one write statement, no statement of its own', async () => {
    const ops = new PgOperations(f.pool);
    // The fixture's RISOTTO: 120 g of the rice, in force from the beginning.
    await ops.post('receive', { idempotencyKey: 'statements-kit-stock', kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 10_000, unitCost: 100 }] }, f.ids.admin);
    const posted = await statementsOf(() => ops.post('despatch', { idempotencyKey: 'statements-kit-sale', kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.recipe, qty: 2 }] }, f.ids.admin));
    const kitWrites = posted.filter((t) => t.includes('movement_kit_lines'));
    expect(kitWrites).toHaveLength(1);
    // the statement that writes the movements (their balance_after) and, after them, the kit lines
    expect(kitWrites[0]).toMatch(/balance_after.*INSERT INTO movement_kit_lines/);
    expect((await f.pool.query('SELECT form_line_no AS line, kit_qty AS qty FROM movement_kit_lines')).rows).toEqual([{ line: 1, qty: 2 }]);
    expect((await f.store.verify()).ok).toBe(true);
  });
});
