/**
 * Contract field paths in the words of the forms: `lines.0.qty` → "Line 1 quantity", `input.toSiteId` → "To site".
 * Used for refusals of a request the contract did not accept, so that no internal name reaches the user.
 */

/** Field names as the forms label them; anything else is spelled out from its camelCase name. */
const WORDS: Record<string, string> = {
  qty: 'quantity',
  unitCost: 'unit cost',
  onCosts: 'on-costs',
  productId: 'product',
  siteId: 'site',
  binId: 'bin',
  batchId: 'batch',
  fromSiteId: 'from site',
  toSiteId: 'to site',
  fromBinId: 'from bin',
  toBinId: 'to bin',
  supplierId: 'supplier',
  groupId: 'product group',
  documentId: 'document',
  draftId: 'adjustment draft',
  sessionId: 'count',
  lineId: 'count line',
  lineNo: 'line number',
  seq: 'movement',
  occurredAt: 'date and time',
  effectiveAt: 'effective date',
  validFrom: 'valid from',
  expiry: 'expiry date',
  serials: 'serial numbers',
  counted: 'counted quantity',
  countedQty: 'counted quantity',
  sku: 'SKU',
  idempotencyKey: 'form reference',
  secret: 'password or PIN',
  username: 'user name',
  displayName: 'display name',
  timeZone: 'time zone',
  baseCurrency: 'base currency',
  lowStock: 'low-stock level',
  to: 'up-to date',
  from: 'from date',
  scale: 'decimal places',
};

/** Lists whose items are numbered from one in the forms ("Line 3", "Barcode 2"). */
const ITEM: Record<string, string> = {
  lines: 'line',
  barcodes: 'barcode',
  components: 'component',
  serials: 'serial number',
  bins: 'bin',
  codes: 'code',
  rows: 'row',
  permissions: 'permission',
  attributes: 'attribute',
  variants: 'variant',
};

/** Path segments that only wrap the real input (`operations.review` carries the document under `input`). */
const WRAPPERS = new Set(['input', 'filter', 'patch', 'changes', 'values']);

const spelled = (name: string) =>
  WORDS[name] ??
  name
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The user's name for a field at `path`; null for the request as a whole. */
export function fieldLabel(path: readonly PropertyKey[]): string | null {
  const words: string[] = [];
  path.forEach((seg, i) => {
    if (typeof seg === 'number' || /^\d+$/.test(String(seg))) {
      const list = String(path[i - 1] ?? '');
      const item = ITEM[list] ?? 'item';
      if (words.length && list && i > 0 && typeof path[i - 1] === 'string') words.pop();
      words.push(`${item} ${Number(seg) + 1}`);
      return;
    }
    const name = String(seg);
    if (WRAPPERS.has(name) && i < path.length - 1) return;
    words.push(spelled(name));
  });
  return words.length ? capital(words.join(' ')) : null;
}
