import type { PostDocumentInput } from '../../shared/contract/schemas';

/**
 * The crash tests' documents (posting-kill-child.ts, on either store): document `i` of a run is a
 * receipt of 1..7 lines across the products and two sites, the same every time it is made, so a test can post it
 * again under its key after a kill. Its key ends in -L<lines>, so a test can tell a whole document from its key.
 */
export function crashDocument(runId: string, i: number, products: readonly number[], sites: { wh: number; bar: number }): PostDocumentInput {
  const n = 1 + (i % 7);
  const key = `crash-${runId}-${i}-L${n}`;
  const lines = Array.from({ length: n }, (_, j) => ({
    productId: products[(i + j) % products.length]!,
    siteId: j % 2 ? sites.bar : sites.wh,
    type: 'supplier_order' as const,
    qty: 1 + ((i * 7 + j) % 50),
    unitCost: 100 + j,
  }));
  return { idempotencyKey: key, type: 'receipt', reference: key, lines };
}

/** The number of lines a crash document's key says it has. */
export const crashLines = (key: string): number => Number(/-L(\d+)$/.exec(key)![1]);

/**
 * The crash tests' import file (crash-child.ts on SQLite, import-kill-child.ts on either store): `rows` inventory
 * rows, row i being CRASH-(i % 20) at BAR (odd i) or WH1, quantity 1 + (i % 9), unit cost 1.25.
 */
export function crashImportCsv(rows: number): string {
  const out = ['sku,site,bin,qty,batch,expiry,serial,unit_cost'];
  for (let i = 0; i < rows; i++) out.push(`CRASH-${String(i % 20).padStart(2, '0')},${i % 2 ? 'BAR' : 'WH1'},,${1 + (i % 9)},,,,1.25`);
  return out.join('\n');
}

/** The sum of the quantities of crashImportCsv(rows). */
export const crashImportQty = (rows: number): number => Array.from({ length: rows }, (_, i) => 1 + (i % 9)).reduce((a, b) => a + b, 0);
