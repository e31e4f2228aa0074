import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ON_COSTS } from '../../shared/domain';
import { emptyLeanMovement, LEAN_SELECT, LeanReader, leanProductId, leanSiteId, onCostsOfKey, type LeanMovement } from './movement-export-store';

/**
 * The export reads a movement as few packed values (LEAN_SELECT) and unpacks them (LeanReader): every value must come
 * back exactly, on the packed path and on the JSON path taken when a value does not fit (huge ids, a negative line).
 */
const db = new Database(':memory:');
afterAll(() => db.close());
const OC = ON_COSTS.map((k) => `oc_${k}`);
db.exec(`CREATE TABLE movements (seq integer PRIMARY KEY, document_id integer NOT NULL, line_no integer NOT NULL, product_id integer NOT NULL,
  site_id integer NOT NULL, bin_id integer, batch_id integer, serial_id integer, type varchar(40) NOT NULL, qty bigint NOT NULL,
  balance_after bigint NOT NULL, occurred_at bigint NOT NULL, recorded_at bigint NOT NULL, user_id integer NOT NULL, unit_cost bigint NOT NULL,
  cost_source varchar(20) NOT NULL, ${OC.map((c) => `${c} bigint NOT NULL DEFAULT 0`).join(', ')}, reversal_of integer, note text)`);

type Row = Omit<LeanMovement, 'hasOnCosts' | 'onCostsKey'>;
const base: Row = {
  seq: 1, occurredAt: 1_767_225_600_000, recordedAt: 1_767_225_600_123, qty: -12_500, balanceAfter: 7, unitCost: 12_3456, productId: 1, binId: 2, siteId: 3, userId: 4,
  documentId: 5, lineNo: 1, batchId: null, type: 'stock_receipt', costSource: 'declared', serialId: null, reversalOf: null, note: null, onCosts: ON_COSTS.map(() => 0),
};
const cases: Partial<Row>[] = [
  {},
  { binId: null, batchId: 9, serialId: 11, reversalOf: 3 },
  // The largest values each pair packs, and one past them (read through the JSON path).
  { productId: 2 ** 27 - 1, binId: 2 ** 26 - 2, siteId: 2 ** 27 - 1, userId: 2 ** 26 - 2, documentId: 2 ** 37 - 1, lineNo: 2 ** 16 - 2 },
  { productId: 2 ** 27, siteId: 2 ** 27, documentId: 2 ** 37 },
  { binId: 2 ** 26 - 1, userId: 2 ** 26 - 1, lineNo: 2 ** 16 - 1 },
  { productId: 2 ** 45, binId: 2 ** 40, userId: 0, documentId: 0, lineNo: -3, qty: 2 ** 53 - 1, balanceAfter: -(2 ** 53 - 1) },
  // A line that is not a whole number (the one pair column without a foreign key to an integer id) is not packed.
  { lineNo: 2.5 },
  // Notes the JSON path must give back exactly.
  { note: '=cmd, "x" \\ back\\slash' },
  { note: 'two\nlines\ttab\u0001ctl \u2028 \u{1F600} ünï <b>&amp;</b>' },
  { note: '' },
  { onCosts: ON_COSTS.map((_, j) => (j === 1 ? 1_2345 : j === 3 ? -(2 ** 40) : 0)), note: 'with on-costs' },
  { onCosts: ON_COSTS.map((_, j) => (j === ON_COSTS.length - 1 ? 5 : 0)) },
  { type: 'a:b', costSource: '' },
];
const rows: Row[] = cases.map((c, i) => ({ ...base, ...c, seq: i + 1 }));
const insert = db.prepare(
  `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, bin_id, batch_id, serial_id, type, qty, balance_after, occurred_at, recorded_at, user_id,
   unit_cost, cost_source, ${OC.join(', ')}, reversal_of, note) VALUES (${Array(18 + OC.length).fill('?').join(', ')})`,
);
for (const r of rows) {
  insert.run(r.seq, r.documentId, r.lineNo, r.productId, r.siteId, r.binId, r.batchId, r.serialId, r.type, r.qty, r.balanceAfter, r.occurredAt, r.recordedAt, r.userId,
    r.unitCost, r.costSource, ...r.onCosts, r.reversalOf, r.note);
}

describe('the export’s packed movement read', () => {
  it('gives back every column exactly, packed or not, and says which rows carry on-costs', () => {
    const raw = db.prepare(`SELECT ${LEAN_SELECT} FROM movements m ORDER BY m.seq`).raw().all() as unknown[][];
    const reader = new LeanReader();
    const m = emptyLeanMovement();
    const got = raw.map((r) => {
      const { hasOnCosts, onCosts, onCostsKey, ...rest } = reader.read(r, m);
      // the key is null without on-costs, else it gives back the same on-costs
      return { ...rest, onCosts: [...onCosts], hasOnCosts, keyed: onCostsKey === null ? null : [...onCostsOfKey(onCostsKey)], productOfKey: leanProductId(r), siteOfKey: leanSiteId(r) };
    });
    expect(got).toEqual(
      rows.map((r) => {
        const hasOnCosts = r.onCosts.some((v) => v !== 0);
        return { ...r, hasOnCosts, keyed: hasOnCosts ? r.onCosts : null, productOfKey: r.productId, siteOfKey: r.siteId };
      }),
    );
  });

  it('gives rows with the same on-costs the same key, and rows with other on-costs another', () => {
    const reader = new LeanReader();
    const keys = (db.prepare(`SELECT ${LEAN_SELECT} FROM movements m ORDER BY m.seq`).raw().all() as unknown[][]).map((r) => reader.read(r, emptyLeanMovement()).onCostsKey);
    const byOnCosts = new Map<string, Set<string | null>>();
    rows.forEach((r, i) => byOnCosts.set(JSON.stringify(r.onCosts), (byOnCosts.get(JSON.stringify(r.onCosts)) ?? new Set()).add(keys[i]!)));
    expect([...byOnCosts.values()].map((k) => k.size)).toEqual([...byOnCosts.values()].map(() => 1));
    expect(new Set(keys).size).toBe(byOnCosts.size);
  });

  it('hands over fewer values per row than the columns it reads', () => {
    const width = (db.prepare(`SELECT ${LEAN_SELECT} FROM movements m`).columns()).length;
    expect(width).toBeLessThanOrEqual(14);
  });
});
