import { describe, expect, it } from 'vitest';
import type { DocumentSummary, ProductOption } from '../../shared/operations';
import { matchDocuments, matchWindows, paletteItems, productItems } from './palette-search';

const doc = (documentId: number, reference: string | null, supplierName: string | null): DocumentSummary => ({
  documentId,
  type: 'receipt',
  kind: 'supplier_order',
  reference,
  occurredAt: '2026-12-01T10:00:00Z',
  recordedAt: '2026-12-01T10:00:00Z',
  userName: 'admin',
  movementCount: 3,
  siteName: 'Main',
  supplierName,
});
const typeName = (t: string) => (t === 'supplier_order' ? 'Supplier Order' : t);
const sugar: ProductOption = { id: 7, sku: 'SUGAR', name: 'Caster sugar', unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK' };

describe('search palette', () => {
  it('finds windows by title or rail label, each with its address and shortcut', () => {
    expect(matchWindows('sites').map((w) => [w.label, w.href])).toEqual([['Sites & bins', '#/sites']]);
    expect(matchWindows('stock').find((w) => w.label === 'Current Stock')?.detail).toBe('Alt+2 or Ctrl+Shift+2');
    expect(matchWindows('').length).toBeGreaterThan(6);
  });
  it('opens a product in the Enquiry on its movements', () => {
    expect(productItems([sugar])).toEqual([{ kind: 'product', key: 'product:7', label: 'SUGAR — Caster sugar', detail: 'Product · kg', href: '#/enquiry?product=7&label=SUGAR' }]);
  });
  it('finds documents by number (with or without #), reference or supplier, and opens them in the Enquiry', () => {
    const docs = [doc(12, 'DN-4411', 'Acme Foods'), doc(13, null, 'Napa Valley')];
    expect(matchDocuments('#12', docs, typeName).map((d) => d.key)).toEqual(['document:12']);
    expect(matchDocuments('dn-44', docs, typeName).map((d) => d.href)).toEqual(['#/enquiry?document=12&label=Receipt+DN-4411']);
    expect(matchDocuments('napa', docs, typeName).map((d) => [d.label, d.detail])).toEqual([['Receipt (no reference)', 'Supplier Order · Napa Valley · Main · no. 13']]);
    expect(matchDocuments('', docs, typeName)).toEqual([]);
  });
  it('lists windows, then products, then documents; with no text only the windows', () => {
    const items = paletteItems('su', [sugar], [doc(5, 'SU-1', null)], typeName);
    expect(items.map((i) => i.kind)).toEqual(['window', 'product', 'document']);
    expect(paletteItems('', [sugar], [doc(5, 'SU-1', null)], typeName).every((i) => i.kind === 'window')).toBe(true);
  });
});
