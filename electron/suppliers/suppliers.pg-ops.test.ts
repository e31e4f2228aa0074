import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { supplierCreateSchema, supplierUpdateSchema } from '../../shared/contract/suppliers.schemas';
import type { SupplierRecord } from '../../shared/suppliers';
import { asUser } from '../../test/fixtures/caller';
import { openBothLedgers, type BothLedgers } from '../../test/fixtures/both-ledgers';
import { onBoth, outcomeOf } from '../../test/fixtures/both-stores';
import { settledOrWaiting } from '../../test/fixtures/pg-servers';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { PgSupplierStore } from './pg-supplier-store';
import { supplierKeys } from './suppliers';
import { suppliersOps } from './suppliers.ops';
import { suppliersPgOps } from './suppliers.pg-ops';

/**
 * Suppliers on both stores: the same calls on a SQLite ledger (suppliers.ops.ts) and a PostgreSQL one
 * (suppliers.pg-ops.ts) give the same answers, the same refusals and the same audit entries; and two servers on one
 * PostgreSQL creating the same codes at once leave each code (any case) once, the other refused in the rules' words.
 */
const NOW = Date.UTC(2026, 8, 30, 17, 0);
const clock = () => NOW;
let cluster: TestCluster;
let both: BothLedgers;
beforeAll(async () => {
  cluster = await startTestCluster();
  both = await openBothLedgers(cluster, clock);
});
afterAll(async () => {
  await both?.close();
  cluster?.stop();
});

const supplier = (over: Record<string, unknown> = {}) => supplierCreateSchema.parse({ code: 'ACME', name: 'Acme Foods', country: 'fr', ...over });

describe('suppliers on SQLite and on PostgreSQL', () => {
  it('give the same answers, refusals, events and audit entries for the same calls', async () => {
    const admin = asUser(both.sqlite.ids.admin);
    const { bulk, lot } = both.sqlite.ids;
    const update = (id: number, over: Record<string, unknown>) => ({ ...supplier(), id, ...over });
    const result = await onBoth(suppliersOps(both.sqliteCtx, clock), suppliersPgOps(both.pgCtx), [
      ['suppliers.create', supplier(), admin],
      ['suppliers.create', supplier({ code: 'acme', name: 'Other' }), admin],
      ['suppliers.create', supplier({ code: 'ACME2', name: 'ACME FOODS' }), admin],
      ['suppliers.create', supplier({ code: 'BRIT', name: 'Brit Teas', country: 'UK' }), admin],
      ['suppliers.create', supplier({ code: 'BRIT', name: 'Brit Teas', country: 'gb', contactName: ' Ann ', email: 'ann@brit.example', notes: 'Tea' }), admin],
      ['suppliers.create', supplier({ code: 'X_1', name: 'Percent 100%' }), admin],
      ['suppliers.update', update(2, { code: 'BRIT', name: 'Brit Teas Ltd', country: 'GB', active: false }), admin],
      ['suppliers.update', update(2, { code: 'Acme', name: 'Brit Teas Ltd', country: 'GB' }), admin],
      ['suppliers.update', update(99, { code: 'NONE', name: 'None' }), admin],
      ['suppliers.codeAdd', { supplierId: 1, productId: bulk, code: ' A-100 ' }, admin],
      ['suppliers.codeAdd', { supplierId: 1, productId: lot, code: 'a-100' }, admin],
      ['suppliers.codeAdd', { supplierId: 1, productId: bulk, code: 'A-100' }, admin],
      ['suppliers.codeAdd', { supplierId: 1, productId: bulk, code: '   ' }, admin],
      ['suppliers.codeAdd', { supplierId: 99, productId: bulk, code: 'X' }, admin],
      ['suppliers.codeAdd', { supplierId: 1, productId: 9999, code: 'X' }, admin],
      ['suppliers.codeAdd', { supplierId: 2, productId: bulk, code: 'b-7' }, admin],
      ['suppliers.codeAdd', { supplierId: 1, productId: lot, code: 'C-9' }, admin],
      ['suppliers.codes', { supplierId: 1 }],
      ['suppliers.codes', { productId: bulk }],
      ['suppliers.list', { search: '', includeInactive: true }],
      ['suppliers.list', { search: '', includeInactive: false }],
      ['suppliers.list', { search: 'ac', includeInactive: true }],
      ['suppliers.list', { search: '0%', includeInactive: true }],
      ['suppliers.codeRemove', { id: 1 }, admin],
      ['suppliers.codeRemove', { id: 1 }, admin],
      ['suppliers.codes', { productId: bulk }],
    ]);
    expect(result.pg).toEqual(result.sqlite);
    // The sequence met each kind of refusal, and did write.
    const refused = result.sqlite.flatMap(([, o]) => ('refused' in o ? [o.refused.code] : []));
    expect(new Set(refused)).toEqual(new Set(['CONFLICT', 'VALIDATION', 'NOT_FOUND']));
    expect((result.sqlite[19]![1] as { answer: SupplierRecord[] }).answer.map((s) => s.code)).toEqual(['ACME', 'BRIT', 'X_1']);

    const audit = await both.rows<{ detail: string; username: string }>("SELECT detail, username FROM audit_log WHERE action = 'master-data-changed' ORDER BY id");
    expect(audit.pg.length).toBe(8);
    expect(audit.pg).toEqual(audit.sqlite);
    expect(both.events.pg).toEqual(both.events.sqlite);
  });
});

describe('two servers on one PostgreSQL', () => {
  const outcome = async (call: Promise<unknown>) => {
    const o = await outcomeOf(() => call);
    return 'refused' in o ? o.refused : null;
  };

  it('create the same supplier codes at once (in opposite orders and cases): each code once, the other refused in the rules\' words', async () => {
    const [a, b] = [suppliersPgOps(both.server().ctx), suppliersPgOps(both.server().ctx)];
    const admin = asUser(both.pg.ids.admin);
    const codes = Array.from({ length: 12 }, (_, i) => `RACE-${String(i).padStart(2, '0')}`);
    const outcomes = await Promise.all([
      ...codes.map((code) => outcome(a['suppliers.create']!(supplier({ code, name: `${code} from A` }), admin))),
      ...[...codes].reverse().map((code) => outcome(b['suppliers.create']!(supplier({ code: code.toLowerCase(), name: `${code} from B` }), admin))),
    ]);
    const refusals = outcomes.filter((o) => o !== null);
    expect(refusals).toHaveLength(codes.length);
    for (const r of refusals) {
      expect(r.code).toBe('CONFLICT');
      expect(r.message).toMatch(/^Another supplier already has the code (RACE|race)-\d\d\. Choose a different code\.$/);
    }
    const { rows } = await both.pg.pool.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM suppliers WHERE code ILIKE 'race-%' GROUP BY lower(code) HAVING COUNT(*) <> 1");
    expect(rows).toEqual([]);
    expect((await both.pg.pool.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM suppliers WHERE code ILIKE 'race-%'")).rows[0]!.n).toBe(codes.length);
  });

  it('give one supplier\'s same product code to two products at once: the code belongs to one product', async () => {
    const [a, b] = [suppliersPgOps(both.server().ctx), suppliersPgOps(both.server().ctx)];
    const admin = asUser(both.pg.ids.admin);
    const s = await a['suppliers.create']!(supplier({ code: 'PAIR', name: 'Pair Supplies' }), admin);
    const codes = Array.from({ length: 12 }, (_, i) => `P-${String(i).padStart(2, '0')}`);
    const { bulk, lot } = both.pg.ids;
    const outcomes = await Promise.all([
      ...codes.map((code) => outcome(a['suppliers.codeAdd']!({ supplierId: s.id, productId: bulk, code }, admin))),
      ...[...codes].reverse().map((code) => outcome(b['suppliers.codeAdd']!({ supplierId: s.id, productId: lot, code: code.toLowerCase() }, admin))),
    ]);
    const refusals = outcomes.filter((o) => o !== null);
    expect(refusals).toHaveLength(codes.length);
    for (const r of refusals) {
      expect(r.code).toBe('CONFLICT');
      expect(r.message).toMatch(/^Pair Supplies's code [Pp]-\d\d already belongs to (RICE-1KG|CLARET-75)\. A supplier code belongs to one product per supplier: remove it from \1 first\.$/);
    }
    const { rows } = await both.pg.pool.query('SELECT lower(supplier_code) FROM product_supplier_codes WHERE supplier_id = $1 GROUP BY 1 HAVING COUNT(*) <> 1', [s.id]);
    expect(rows).toEqual([]);
  });

  /**
   * A third connection holds what the saves need (the supplier's key locks, or its row) while two servers save the same
   * supplier: both wait, then save one after the other. Each must read the supplier after the other's save (after its
   * locks): the second save's audit entry starts from the first one's result, not from the supplier as it was before.
   */
  it.each([
    ['its code and name', { code: 'KEEP', name: 'Keep Foods' }, { code: 'KEEP', name: 'Keep Foods' }],
    ['its row (the two saves rename it differently)', { code: 'ROW', name: 'Row Foods' }, { code: 'ROW2', name: 'Row Two' }],
  ])('save one supplier at once while another connection holds %s: the second save starts from the first one\'s result', async (held, a, b) => {
    const [x, y] = [suppliersPgOps(both.server().ctx), suppliersPgOps(both.server().ctx)];
    const admin = asUser(both.pg.ids.admin);
    const s = await x['suppliers.create']!(supplier(a), admin);
    const holder = await both.pg.pool.connect();
    try {
      await holder.query('BEGIN');
      if (held === 'its code and name') await new PgSupplierStore(holder).lockKeys(supplierKeys.supplier(a.code, a.name));
      else await holder.query('SELECT 1 FROM suppliers WHERE id = $1 FOR UPDATE', [s.id]);
      const saves = Promise.all([
        x['suppliers.update']!(supplierUpdateSchema.parse({ ...supplier(a), id: s.id, email: 'orders@keep.example' }), admin),
        y['suppliers.update']!(supplierUpdateSchema.parse({ ...supplier(b), id: s.id, phone: '+33 1 23 45 67 89' }), admin),
      ]);
      await settledOrWaiting(both.pg.pool, saves, 2);
      await holder.query('COMMIT');
      await saves;
    } finally {
      holder.release();
    }
    const { rows } = await both.pg.pool.query<{ detail: string }>(
      "SELECT detail FROM audit_log WHERE action = 'master-data-changed' AND detail::jsonb->>'record' = 'supplier' AND (detail::jsonb->>'id')::int = $1 ORDER BY id",
      [s.id],
    );
    const [created, first, second] = rows.map((r) => JSON.parse(r.detail) as { before: SupplierRecord | null; after: SupplierRecord });
    expect(rows).toHaveLength(3);
    expect(first!.before).toEqual(created!.after);
    expect(second!.before).toEqual(first!.after);
  });

  it('remove one supplier code at once: one removal, one audit entry; the other is told it no longer exists', async () => {
    const [x, y] = [suppliersPgOps(both.server().ctx), suppliersPgOps(both.server().ctx)];
    const admin = asUser(both.pg.ids.admin);
    const s = await x['suppliers.create']!(supplier({ code: 'GONE', name: 'Gone Supplies' }), admin);
    const code = await x['suppliers.codeAdd']!({ supplierId: s.id, productId: both.pg.ids.bulk, code: 'G-1' }, admin);
    const holder = await both.pg.pool.connect();
    let outcomes: (Awaited<ReturnType<typeof outcome>>)[];
    try {
      // The code's row held by a third connection: both removals are under way before either can finish.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM product_supplier_codes WHERE id = $1 FOR UPDATE', [code.id]);
      const removals = Promise.all([outcome(x['suppliers.codeRemove']!({ id: code.id }, admin)), outcome(y['suppliers.codeRemove']!({ id: code.id }, admin))]);
      await settledOrWaiting(both.pg.pool, removals, 2);
      await holder.query('COMMIT');
      outcomes = await removals;
    } finally {
      holder.release();
    }
    expect(outcomes.filter((o) => o === null)).toHaveLength(1);
    expect(outcomes.filter((o) => o !== null)).toEqual([{ code: 'NOT_FOUND', message: 'That supplier code no longer exists. Reload the list.', details: { field: 'id' } }]);
    const { rows } = await both.pg.pool.query("SELECT 1 FROM audit_log WHERE action = 'master-data-changed' AND detail::jsonb->>'label' = 'GONE G-1' AND detail::jsonb->'after' = 'null'::jsonb");
    expect(rows).toHaveLength(1);
  });

  it('refuse as the rules do, never with a raw database error', async () => {
    await expect(suppliersPgOps(both.pgCtx)['suppliers.create']!(supplier({ code: 'race-00', name: 'Late' }), asUser(both.pg.ids.admin))).rejects.toBeInstanceOf(AppError);
  });
});
