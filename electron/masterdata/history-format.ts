import type { HistoryInput } from '../../shared/contract/masterdata.schemas';
import type { HistoryChange, HistoryEntry } from '../../shared/masterdata';
import { formatQuantity } from '../../shared/quantity';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { HistoryRow } from './history-store';

/**
 * What a record's History tab reads: the audit log's master-data entries of one record (a site's include its bins', a
 * supplier's its supplier codes'), newest first. SQLite's HistoryStore answers at once, PostgreSQL's PgHistoryStore later.
 */
export interface HistoryRecords {
  entries(record: HistoryInput['record'], id: number, limit?: number): Awaitable<HistoryRow[]>;
}

type Fields = Record<string, unknown>;
type Show = (value: unknown, record: Fields) => string;

const NONE = '(none)';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const yesNo = (yes: string, no: string): Show => (v) => (v ? yes : no);
const named = (names: Record<string, string>): Show => (v) => names[String(v)] ?? String(v);
/** A quantity in the record's own unit and decimals ("5.000 kg"). */
const quantity: Show = (v, r) =>
  typeof v === 'number' && Number.isSafeInteger(v) ? `${formatQuantity(v, typeof r.scale === 'number' ? r.scale : 0)}${r.unit ? ` ${String(r.unit)}` : ''}` : plain(v);

/** How each record names its fields and shows their values; a field not listed here gets a label made from its name. */
const FIELDS: Record<string, Record<string, { label: string; show?: Show }>> = {
  product: {
    sku: { label: 'SKU' },
    name: { label: 'Name' },
    description: { label: 'Description' },
    barcodes: { label: 'Barcodes' },
    unit: { label: 'Unit' },
    scale: { label: 'Decimals' },
    stockType: { label: 'Stock type' },
    tracking: { label: 'Tracking', show: named({ BULK: 'Bulk', LOT: 'Lot / batch', SERIAL: 'Serial number', RFID: 'RFID tag' }) },
    stockKeeping: { label: 'Stock keeping', show: yesNo('On', 'Off') },
    lowStockLevel: { label: 'Low-stock level', show: quantity },
    active: { label: 'Status', show: yesNo('Active', 'Inactive') },
    groupCode: { label: 'Product group' },
    countryOfOrigin: { label: 'Country of origin' },
    variantAxes: { label: 'Variant attributes' },
    variantAttributes: { label: 'Variant' },
    sites: { label: 'Per-site settings', show: (v) => (Array.isArray(v) && v.length ? `${v.length} site${v.length === 1 ? '' : 's'} with their own settings` : NONE) },
  },
  site: {
    code: { label: 'Code' },
    name: { label: 'Name' },
    kind: { label: 'Kind', show: named({ warehouse: 'Warehouse', shop: 'Shop', kitchen: 'Kitchen', other: 'Other', external: 'External' }) },
    allowNegative: { label: 'Negative stock', show: yesNo('Allowed', 'Refused') },
    active: { label: 'Status', show: yesNo('Active', 'Inactive') },
  },
  bin: {
    code: { label: 'Code' },
    name: { label: 'Name' },
    stockStatus: { label: 'Stock status', show: named({ sellable: 'Sellable', defective: 'Defective', quarantine: 'Quarantine' }) },
    active: { label: 'Status', show: yesNo('Active', 'Inactive') },
  },
  supplier: {
    code: { label: 'Code' },
    name: { label: 'Name' },
    country: { label: 'Country' },
    inEc: { label: 'In the EC', show: yesNo('Yes', 'No') },
    contactName: { label: 'Contact' },
    email: { label: 'Email' },
    phone: { label: 'Phone' },
    address: { label: 'Address' },
    notes: { label: 'Notes' },
    active: { label: 'Status', show: yesNo('Active', 'Inactive') },
  },
  'supplier-code': {
    code: { label: "Supplier's code" },
    sku: { label: 'Product' },
  },
  'product group': {
    code: { label: 'Code' },
    name: { label: 'Name' },
    postOnCosts: { label: 'On-costs to cost of sales', show: yesNo('Yes', 'No') },
    active: { label: 'Status', show: yesNo('Active', 'Inactive') },
  },
  company: {
    name: { label: 'Company name' },
    currency: { label: 'Base currency' },
    timeZone: { label: 'Business time zone' },
    locale: { label: 'Numbers and dates' },
    fyStartMonth: { label: 'Financial year starts in', show: (v) => (typeof v === 'number' && v >= 1 && v <= 12 ? MONTHS[v - 1]! : plain(v)) },
  },
};

/** Facts the app works out (stock, counts, links), not fields anyone changes: never shown as changes. */
const DERIVED = new Set([
  'id', 'siteId', 'hasMovements', 'onHand', 'stockLines', 'binCount', 'createdAt', 'updatedAt', 'version',
  // shown by their names instead (groupCode), or worked out from other fields (a variant's label, a parent's count)
  'groupId', 'parentId', 'variantLabel', 'variantCount',
  // counts, and a supplier code's copies of its supplier and product (the entry's subject names them)
  'receiptCount', 'codeCount', 'productCount', 'supplierId', 'supplierCode', 'supplierName', 'supplierActive', 'productId', 'productName',
]);
const SUBJECT: Record<string, string> = {
  product: 'Product', site: 'Site', bin: 'Bin', supplier: 'Supplier', 'supplier-code': 'Supplier code', 'product group': 'Product group', company: 'Company',
};

/** "countryOfOrigin" → "Country of origin", for fields added after this list was written. */
export const labelOf = (name: string) => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Any value in words: no JSON, no braces. */
function plain(v: unknown): string {
  if (v === null || v === undefined || v === '') return NONE;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number') return v.toLocaleString('en-GB');
  if (Array.isArray(v)) return v.length ? v.map(plain).join(', ') : NONE;
  if (typeof v === 'object') {
    const o = v as Fields;
    if (typeof o.name === 'string') return o.name;
    const parts = Object.entries(o).map(([k, x]) => `${labelOf(k)} ${plain(x)}`);
    return parts.length ? parts.join(', ') : NONE;
  }
  return String(v);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields that differ between before and after, in the record's field order, each in plain words. */
export function describeChanges(record: string, before: Fields | null, after: Fields | null): HistoryChange[] {
  const spec = FIELDS[record] ?? {};
  const keys = [...new Set([...Object.keys(spec), ...Object.keys(after ?? {}), ...Object.keys(before ?? {})])].filter((k) => !DERIVED.has(k));
  const out: HistoryChange[] = [];
  for (const k of keys) {
    const has = (r: Fields | null) => r !== null && k in r;
    if (!has(before) && !has(after)) continue;
    const b = before?.[k];
    const a = after?.[k];
    if (before && same(b, a)) continue;
    if (!before && (a === null || a === undefined || a === '' || (Array.isArray(a) && a.length === 0))) continue;
    const show = spec[k]?.show;
    const text = (v: unknown, r: Fields | null) => (r === null || !has(r) ? '' : show ? show(v, r) : plain(v));
    out.push({ field: spec[k]?.label ?? labelOf(k), before: text(b, before), after: text(a, after) });
  }
  return out;
}

/** An audit entry as the History tab shows it: who, when, what, and before → after per changed field. */
export function historyEntry(row: HistoryRow): HistoryEntry {
  const { record, label, before, after } = row.detail;
  return {
    id: row.id,
    at: row.at,
    username: row.username,
    subject: `${SUBJECT[record] ?? labelOf(record)}${label ? ` ${label}` : ''}`,
    kind: before === null || before === undefined ? 'created' : 'changed',
    changes: describeChanges(record, (before ?? null) as Fields | null, (after ?? null) as Fields | null),
  };
}

/** A record's History tab (`masterdata.history`), the one rule for both stores: its entries, each in words. */
export function* recordHistory(r: HistoryRecords, { record, id }: HistoryInput): Steps<HistoryEntry[]> {
  return (yield* value(r.entries(record, id))).map(historyEntry);
}
