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
