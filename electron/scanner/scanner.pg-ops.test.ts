import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScan } from '../../shared/scanning/parse-scan';
import { GS } from '../../shared/scanning/scan-types';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import { openBothLedgers, type BothLedgers } from '../../test/fixtures/both-ledgers';
import { onBoth, outcomeOf } from '../../test/fixtures/both-stores';
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

describe('scannerResolve on SQLite and on PostgreSQL', () => {
  it('resolves the same scans to the same products, batches, serials and messages', async () => {
    const { wh, binA, bulk, lot, serial, admin } = both.pg.ids;
    const GTIN13 = '4006381333931';
    for (const [barcode, productId] of [[GTIN13, lot], ['RICE-BC', bulk]] as const) {
      both.sqlite.ledger.db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)').run(barcode, productId);
      await both.pg.pool.query('INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)', [barcode, productId]);
    }
    const receipt = {
      idempotencyKey: 'scan-receipt', type: 'receipt' as const, lines: [
        { productId: lot, siteId: wh, binId: binA, batch: { code: 'L1', expiry: '2027-03-31' }, type: 'inbound' as const, qty: 12, unitCost: 90_000 },
        { productId: serial, siteId: wh, binId: binA, serial: 'TAP-SN-1', type: 'inbound' as const, qty: 1, unitCost: 500_000 },
      ],
    };
    expect(await both.pg.store.post(receipt, admin)).toEqual(await new SqliteLedgerCore(both.sqlite.ledger.db, both.sqlite.ledger.poster).post(receipt, admin));
    const codes = [
      GTIN13, `]d201${GTIN13.padStart(14, '0')}17270331` + `10L1${GS}3006`, `]d201${GTIN13.padStart(14, '0')}10NEWLOT`, 'RICE-BC', 'rice-1kg', 'tap-01',
      'TAP-SN-1', 'L1', '5012345678900', 'NOTHING-HERE', `]d201${GTIN13.padStart(14, '0')}21TAP-SN-1`,
    ];
    const result = await onBoth(scannerOps(both.sqliteCtx), scannerPgOps(both.pgCtx), codes.map((c) => ['scannerResolve', parseScan(c)] as const));
    expect(result.pg).toEqual(result.sqlite);
    expect(result.sqlite.map(([, o]) => ('answer' in o ? (o.answer as { matchedBy: string | null }).matchedBy : 'refused'))).toEqual([
      // 5012345678900: attached to RICE-1KG by the test above.
      'barcode', 'gtin', 'gtin', 'barcode', 'sku', 'sku', 'serial', 'batch', 'barcode', null, 'gtin',
    ]);
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
