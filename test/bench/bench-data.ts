import type { PostDocumentInput } from '../../shared/contract/schemas';
import type { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';

export interface BenchWorld {
  products: number[];
  sites: number[];
  bins: Map<number, number[]>;
}

/** Master data for the benchmarks: sites with bins and BULK products. */
export function seedWorld(ledger: SqliteLedger, productCount = 2000): BenchWorld {
  const r = ledger.reference;
  const sites = [r.addSite({ code: 'WH1', name: 'Central Warehouse' }), r.addSite({ code: 'WH2', name: 'North Warehouse' })];
  const bins = new Map<number, number[]>();
  for (const s of sites) bins.set(s, Array.from({ length: 10 }, (_, i) => r.addBin(s, `A-${String(i + 1).padStart(2, '0')}`)));
  const g = r.addGroup('GEN', 'General');
  const products = ledger.db.transaction(() =>
    Array.from({ length: productCount }, (_, i) => r.addProduct({ sku: `P${String(i).padStart(6, '0')}`, name: `Bench product ${i}`, stockType: 'Supplied', groupId: g })),
  )();
  return { products, sites, bins };
}

/**
 * Documents of `linesPerDoc` lines: receipts that keep stock positive, then sales taking part of it.
 * Deterministic, no randomness needed.
 */
export function* benchDocuments(world: BenchWorld, movements: number, linesPerDoc: number, keyPrefix: string, startAt = Date.UTC(2026, 0, 1)): Generator<PostDocumentInput> {
  let made = 0;
  let n = 0;
  while (made < movements) {
    const receipt = n % 3 !== 2;
    const lines: PostDocumentInput['lines'] = [];
    for (let i = 0; i < linesPerDoc && made < movements; i++, made++) {
      // a sale takes part of what the receipt two documents earlier brought in
      const from = receipt ? n : n - 2;
      const p = world.products[(from * linesPerDoc + i) % world.products.length]!;
      const site = world.sites[from % world.sites.length]!;
      const bin = world.bins.get(site)![i % 10]!;
      lines.push(receipt ? { productId: p, siteId: site, binId: bin, type: 'inbound', qty: 100, unitCost: 12_500 } : { productId: p, siteId: site, binId: bin, type: 'sale', qty: -40 });
    }
    yield { idempotencyKey: `${keyPrefix}-${n}`, type: receipt ? 'receipt' : 'despatch', occurredAt: new Date(startAt + n * 1000).toISOString(), lines };
    n++;
  }
}
