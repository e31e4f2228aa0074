import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onBoth, openBothLedgers, outcomeOf, type BothLedgers } from '../../test/fixtures/paired-ledgers';
import { barcodeKey } from '../masterdata/barcodes';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { scannerOps } from './scanner.ops';
import { scannerPgOps } from './scanner.pg-ops';

/**
 * Attaching a scanned barcode on both stores: the same answers and refusals on SQLite (scanner.ops.ts) and PostgreSQL
 * (scanner.pg-ops.ts); two servers attaching one GTIN (in two of its forms) to two products at once leave it on one.
 */
let cluster: TestCluster;
let both: BothLedgers;
beforeAll(async () => {
  cluster = await startTestCluster();
  both = await openBothLedgers(cluster, Date.now);
});
afterAll(async () => {
  await both?.close();
  cluster?.stop();
});

describe('scanner.attachBarcode on SQLite and on PostgreSQL', () => {
  it('gives the same answers and refusals for the same calls', async () => {
    const { bulk, lot } = both.sqlite.ids;
    const attach = (productId: number, barcode: string) => ['scanner.attachBarcode', { productId, barcode }] as const;
    const result = await onBoth(scannerOps(both.sqliteCtx), scannerPgOps(both.pgCtx), [
      attach(bulk, '5012345678900'),
      attach(bulk, '5012345678900'),
      attach(lot, '5012345678900'),
      attach(lot, '05012345678900'),
      attach(lot, '012345678905'),
      attach(bulk, '0012345678905'),
      attach(bulk, 'SHELF-7'),
      attach(99_999, 'X1'),
    ]);
    expect(result.pg).toEqual(result.sqlite);
    expect(result.sqlite.filter(([, o]) => 'refused' in o).map(([name]) => name)).toEqual(['2 scanner.attachBarcode', '3 scanner.attachBarcode', '5 scanner.attachBarcode', '7 scanner.attachBarcode']);
    const rows = await both.rows('SELECT barcode, product_id FROM product_barcodes ORDER BY barcode');
    expect(rows.pg).toEqual(rows.sqlite);
  });
});

describe('two servers on one PostgreSQL', () => {
  it('attaching one GTIN to two products at once (a UPC-A on one, its EAN-13 on the other): one product has it, the other is refused', async () => {
    const [a, b] = [scannerPgOps(both.server().ctx), scannerPgOps(both.server().ctx)];
    const { bulk, serial } = both.pg.ids;
    const upcs = Array.from({ length: 12 }, (_, i) => `7${String(i).padStart(10, '0')}${i % 10}`);
    const outcomes = await Promise.all([
      ...upcs.map((upc) => outcomeOf(() => a['scanner.attachBarcode']!({ productId: bulk, barcode: upc }))),
      ...[...upcs].reverse().map((upc) => outcomeOf(() => b['scanner.attachBarcode']!({ productId: serial, barcode: `0${upc}` }))),
    ]);
    const refusals = outcomes.flatMap((o) => ('refused' in o ? [o.refused] : []));
    expect(refusals).toHaveLength(upcs.length);
    for (const r of refusals) {
      expect(r.code).toBe('CONFLICT');
      expect(r.message).toMatch(/^Barcode 0?7\d{11} already belongs to (RICE-1KG|TAP-01) \(as 0?7\d{11}, the same GTIN\)\. Remove it there first, or pick \1\.$/);
    }
    const { rows } = await both.pg.pool.query<{ barcode: string; product_id: number }>('SELECT barcode, product_id FROM product_barcodes WHERE barcode = ANY($1)', [upcs.flatMap((u) => [u, `0${u}`])]);
    const owners = new Map<string, Set<number>>();
    for (const r of rows) owners.set(barcodeKey(r.barcode), (owners.get(barcodeKey(r.barcode)) ?? new Set()).add(r.product_id));
    expect([...owners.values()].filter((o) => o.size > 1)).toEqual([]);
    expect(owners.size).toBe(upcs.length);
  });
});
