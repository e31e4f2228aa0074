import { parseQuantity } from '../../shared/quantity';
import type { ProductOption } from '../../shared/operations';

/** One editable line of an operation form, kept as typed text until posting. */
export interface FormLine {
  key: number;
  product: ProductOption | null;
  qty: string;
  binId: string;
  batch: string;
  expiry: string;
  serials: string;
  unitCost: string;
  freight: string;
  excise: string;
}

let next = 1;
export const emptyLine = (): FormLine => ({ key: next++, product: null, qty: '', binId: '', batch: '', expiry: '', serials: '', unitCost: '', freight: '', excise: '' });

/** A new idempotency key per form: a double click or a retry posts once. */
export const newKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** "12.50" → 125000 (money in 1/10000); throws a readable message on a bad number. */
export function parseMoney(text: string, field: string): number {
  try {
    return parseQuantity(text.replace(/^[£$€]/, '') || '0', 4);
  } catch (e) {
    throw new Error(`${field}: ${(e as Error).message}`);
  }
}

export function parseLineQty(line: FormLine, n: number): number {
  if (!line.product) throw new Error(`Line ${n}: pick a product.`);
  try {
    return parseQuantity(line.qty, line.product.scale);
  } catch (e) {
    throw new Error(`Line ${n}: quantity ${(e as Error).message}.`);
  }
}

export const splitSerials = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

/** The datetime-local value for now, and back to ISO. */
export const localNow = () => {
  const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
export const localToIso = (v: string) => (v ? new Date(v).toISOString() : undefined);
