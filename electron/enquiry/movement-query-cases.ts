import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementView } from '../../shared/enquiry';

/**
 * The movement enquiry's filter cases over the ledger movement-query.test.ts (both stores, through the contract) and
 * movement-query.sqlite.test.ts (every SQLite plan) build alike: 120 rounds an hour apart, six to an hour, of receipts
 * (rice at bin A/B, claret lots LOT-00..06 with expiries, scanned tonic water at the shop) and issues (rice out or
 * wasted, tonic sold), every fourth round by the clerk.
 */
export const T0 = Date.UTC(2025, 0, 1);
export const HOUR = 3_600_000;

export interface CaseData {
  all: MovementView[];
  clerk: number;
  ids: { wh: number; shop: number; binB: number; bulk: number };
}

export type MovementCase = [name: string, filter: () => MovementFilter, matches: (m: MovementView) => boolean];

/** Each filter with what it means, written plainly (`data` is read when a case runs, after the ledger is built). */
export function movementCases(data: () => CaseData): MovementCase[] {
  const d = data;
  return [
    ['no filter', () => ({}), () => true],
    ['one type', () => ({ types: ['wastage'] }), (m) => m.type === 'wastage'],
    ['several types', () => ({ types: ['wastage', 'sale', 'stock_receipt'] }), (m) => ['wastage', 'sale', 'stock_receipt'].includes(m.type)],
    ['occurred range', () => ({ occurred: { from: T0 + 3 * HOUR, to: T0 + 7 * HOUR } }), (m) => m.occurredAt >= T0 + 3 * HOUR && m.occurredAt <= T0 + 7 * HOUR],
    ['recorded range', () => ({ recorded: { from: d().all[100]!.recordedAt, to: d().all[250]!.recordedAt } }), (m) => m.recordedAt >= d().all[100]!.recordedAt && m.recordedAt <= d().all[250]!.recordedAt],
    ['expiry range', () => ({ expiry: { from: '2026-02-01', to: '2026-04-30' } }), (m) => m.expiry !== null && m.expiry >= '2026-02-01' && m.expiry <= '2026-04-30'],
    ['product', () => ({ productId: d().ids.bulk }), (m) => m.productId === d().ids.bulk],
    ['site', () => ({ siteId: d().ids.shop }), (m) => m.siteId === d().ids.shop],
    ['bin', () => ({ binId: d().ids.binB }), (m) => m.binId === d().ids.binB],
    ['batch', () => ({ batchId: d().all.find((m) => m.batchCode === 'LOT-03')!.batchId! }), (m) => m.batchCode === 'LOT-03'],
    ['document', () => ({ documentId: d().all[40]!.documentId }), (m) => m.documentId === d().all[40]!.documentId],
    ['user', () => ({ userId: d().clerk }), (m) => m.userId === d().clerk],
    ['search: SKU prefix', () => ({ search: 'ric' }), (m) => m.sku === 'RICE-1KG'],
    ['search: name word prefix', () => ({ search: 'tonic' }), (m) => m.sku === 'SCAN-01'],
    ['search: batch prefix', () => ({ search: 'lot-0' }), (m) => m.batchCode?.startsWith('LOT-0') === true],
    ['search: exact barcode', () => ({ search: '5012345678900' }), (m) => m.sku === 'SCAN-01'],
    ['search with no match', () => ({ search: 'zzz-nothing' }), () => false],
    // A scanned barcode no product has: all digits, so read as a document number too, beyond any document id's range.
    ['search with no match: an unknown 13-digit barcode', () => ({ search: '5012340000010' }), () => false],
    ['combined', () => ({ types: ['outbound', 'inbound'], siteId: d().ids.wh, occurred: { from: T0 + 2 * HOUR }, userId: d().clerk }),
      (m) => ['outbound', 'inbound'].includes(m.type) && m.siteId === d().ids.wh && m.occurredAt >= T0 + 2 * HOUR && m.userId === d().clerk],
  ];
}

/** The seqs of `all` a case matches, newest first (occurred, then seq). */
export function expectedSeqs(all: MovementView[], matches: (m: MovementView) => boolean): number[] {
  return all.filter(matches).sort((a, b) => b.occurredAt - a.occurredAt || b.seq - a.seq).map((m) => m.seq);
}
