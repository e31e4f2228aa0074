import { AppError } from '../../shared/contract/errors';
import { plural } from '../../shared/plural';
import { formatQuantity } from '../../shared/quantity';

/**
 * A serial- or RFID-tracked line needs one serial number (or tag) per unit: refuses `qty` (in the product's smallest
 * unit) given `given` of them, saying how many of each: "(1 unit, 0 serial numbers given)".
 */
export function checkOnePerUnit(where: string, product: { sku: string; tracking: string; scale: number }, qty: number, given: number): void {
  const unit = 10 ** product.scale;
  if (given * unit === qty) return;
  const what = product.tracking === 'RFID' ? 'tag' : 'serial number';
  const units = qty === unit ? '1 unit' : `${formatQuantity(qty, product.scale)} units`;
  throw new AppError('VALIDATION', `${where}: ${product.sku} is ${product.tracking.toLowerCase()}-tracked; enter one ${what} per unit (${units}, ${plural(given, what)} given).`, { field: 'serials' });
}

/**
 * A serial number (or tag) listed twice on one line is refused naming it: "Line 1: serial number SN-1 of TAP-01 is
 * entered twice; remove the duplicate." (two on one line name each: "SN-1 and SN-4 are").
 */
export function checkSerialsOnce(where: string, product: { sku: string; tracking: string }, serials: readonly string[]): void {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const serial of serials) (seen.has(serial) ? twice : seen).add(serial);
  if (twice.size === 0) return;
  const what = product.tracking === 'RFID' ? 'tag' : 'serial number';
  const named = [...twice];
  const list = named.length === 1 ? `${what} ${named[0]} of ${product.sku} is` : `${what}s ${named.slice(0, -1).join(', ')} and ${named.at(-1)} of ${product.sku} are`;
  throw new AppError('VALIDATION', `${where}: ${list} entered twice; remove the duplicate.`, { field: 'serials', serials: named });
}
