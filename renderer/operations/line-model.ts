import { ON_COST_LABELS, ON_COSTS, type OnCostKind } from '../../shared/domain';
import { fromWallClock, zoneOffset } from '../../shared/business-time';
import { readMoney, readQuantity, shownTimeZone } from '../common/format';
import type { ProductOption } from '../../shared/operations';

/** One editable line of an operation form, kept as typed text until posting. */
export interface FormLine {
  key: number;
  product: ProductOption | null;
  /** The quantity; on a period variance, the quantity counted. */
  qty: string;
  binId: string;
  batch: string;
  expiry: string;
  serials: string;
  unitCost: string;
  onCosts: Partial<Record<OnCostKind, string>>;
  /** Internal transfer: where the stock goes. */
  toBinId: string;
  toBatch: string;
  toExpiry: string;
}

export { ON_COST_LABELS, ON_COSTS };

let next = 1;
/** A key no other line of this page has (a line's React key; a restored draft's lines take new ones: form-draft.ts). */
export const newLineKey = () => next++;
export const emptyLine = (): FormLine => ({
  key: newLineKey(),
  product: null,
  qty: '',
  binId: '',
  batch: '',
  expiry: '',
  serials: '',
  unitCost: '',
  onCosts: {},
  toBinId: '',
  toBatch: '',
  toExpiry: '',
});

/** A line the user has started (a product or a quantity entered). */
export const isStarted = (l: FormLine) => l.product !== null || l.qty.trim() !== '';

/** A new idempotency key per form: a double click or a retry posts once. */
export const newKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** "12.50" → 125000 (money in 1/10000), read by the shared parser in the company's locale (numberLocale()); throws a readable message on a bad number. */
export function parseMoney(text: string, field: string): number {
  try {
    return readMoney(text.trim() || '0');
  } catch (e) {
    throw new Error(`${field}: ${(e as Error).message}`);
  }
}

export function parseLineQty(line: FormLine, n: number, what = 'quantity'): number {
  if (!line.product) throw new Error(`Line ${n}: pick a product.`);
  try {
    return readQuantity(line.qty, line.product.scale);
  } catch (e) {
    // the field first ("Line 1: quantity", which the form marks), then the product whose decimals the message states
    throw new Error(`Line ${n}: ${what} of ${line.product.sku} ${(e as Error).message}.`);
  }
}

/** The on-costs of a line in money units, only those entered (and not zero). */
export function parseOnCosts(line: FormLine, n: number): Partial<Record<OnCostKind, number>> | undefined {
  const out: Partial<Record<OnCostKind, number>> = {};
  for (const k of ON_COSTS) {
    const text = line.onCosts[k]?.trim();
    if (!text) continue;
    const v = parseMoney(text, `Line ${n} ${ON_COST_LABELS[k].toLowerCase()}`);
    if (v) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The sum of the on-costs entered on a line, in money units (0 when any is unreadable). */
export function onCostTotal(line: FormLine): number {
  try {
    return Object.values(parseOnCosts(line, 0) ?? {}).reduce((a, b) => a + b, 0);
  } catch {
    return 0;
  }
}

export const splitSerials = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

/** Now as a date-time field's value (the wall clock in the company's time zone, to the minute), and such a value back to ISO. */
export const localNow = () => {
  const now = Date.now();
  return new Date(now + zoneOffset(now, shownTimeZone())).toISOString().slice(0, 16);
};
export const localToIso = (v: string) => (v ? new Date(fromWallClock(v, shownTimeZone())).toISOString() : undefined);
