import { documentLabel } from '../../shared/document-types';
import type { DocumentSummary, ProductOption } from '../../shared/operations';
import { ROUTES, hrefFor } from './routes';
import { windowShortcut } from './shortcuts';

/** One thing the search palette can open. */
export interface PaletteItem {
  kind: 'window' | 'product' | 'document';
  key: string;
  label: string;
  detail: string;
  href: string;
}

const norm = (s: string) => s.trim().toLowerCase();

/** The windows whose title or rail label contain the text (all of them for no text). */
export function matchWindows(query: string): PaletteItem[] {
  const q = norm(query);
  return ROUTES.filter((r) => !q || r.title.toLowerCase().includes(q) || r.label.toLowerCase().includes(q)).map((r) => ({
    kind: 'window',
    key: `window:${r.id}`,
    label: r.title,
    detail: windowShortcut(r.id) ?? 'Window',
    href: hrefFor(r.id),
  }));
}

/** Products found by the product search (SKU, name or barcode), each opening its movements in the Enquiry. */
export function productItems(products: readonly ProductOption[]): PaletteItem[] {
  return products.map((p) => ({
    kind: 'product',
    key: `product:${p.id}`,
    label: `${p.sku} — ${p.name}`,
    detail: `Product · ${p.unit}`,
    href: hrefFor('enquiry', { product: p.id, label: p.sku }),
  }));
}

/** The document in words, as the Enquiry's Source names it: its kind and reference ("Receipt DN-4411"). */
const documentName = (d: Pick<DocumentSummary, 'type' | 'reference'>) => documentLabel(d.type, d.reference);

/**
 * Recent documents whose number, reference, supplier, site or type contain the text ("123", "#123", "DN-4", "acme");
 * none for no text. Each opens its movements in the Enquiry.
 */
export function matchDocuments(query: string, docs: readonly DocumentSummary[], typeName: (type: string) => string): PaletteItem[] {
  const q = norm(query).replace(/^#/, '');
  if (!q) return [];
  return docs
    .filter((d) => [String(d.documentId), d.reference ?? '', d.supplierName ?? '', d.siteName ?? '', typeName(d.kind ?? d.type)].some((f) => f.toLowerCase().includes(q)))
    .map((d) => ({
      kind: 'document',
      key: `document:${d.documentId}`,
      label: documentName(d),
      detail: [typeName(d.kind ?? d.type), d.supplierName, d.siteName, `no. ${d.documentId}`].filter(Boolean).join(' · '),
      href: hrefFor('enquiry', { document: d.documentId, label: documentName(d) }),
    }));
}

/** Windows first (few, and what Ctrl+K is most often for), then products, then documents. */
export const paletteItems = (query: string, products: readonly ProductOption[], docs: readonly DocumentSummary[], typeName: (type: string) => string): PaletteItem[] => [
  ...matchWindows(query),
  ...(norm(query) ? productItems(products) : []),
  ...matchDocuments(query, docs, typeName),
];
