/**
 * Quantities and money are integers. A quantity is stored in the product's
 * smallest unit (scale = number of decimals); money in 1/10000 of the base currency.
 */
export const MONEY_SCALE = 10_000;

export function formatQuantity(units: number, scale: number): string {
  if (!Number.isSafeInteger(units)) throw new Error(`Quantity ${units} is not an integer`);
  if (scale === 0) return groupThousands(String(units));
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const div = 10 ** scale;
  const whole = Math.floor(abs / div);
  const frac = String(abs % div).padStart(scale, '0');
  return `${sign}${groupThousands(String(whole))}.${frac}`;
}

/** Parses "12.5" at scale 3 into 12500; refuses more decimals than the scale allows. */
export function parseQuantity(text: string, scale: number): number {
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?\s*$/.exec(text.replace(/,/g, ''));
  if (!m) throw new Error(`"${text}" is not a number`);
  const [, sign, whole, frac = ''] = m;
  if (frac.length > scale) throw new Error(`"${text}" has more than ${scale} decimal places`);
  const value = Number(whole) * 10 ** scale + Number(frac.padEnd(scale, '0') || '0');
  if (!Number.isSafeInteger(value)) throw new Error(`"${text}" is too large`);
  return sign === '-' ? -value : value;
}

export function formatMoney(amount: number, currency = 'GBP'): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const pence = Math.round(abs / 100);
  const whole = Math.floor(pence / 100);
  const frac = String(pence % 100).padStart(2, '0');
  const symbol = currency === 'GBP' ? '£' : currency === 'EUR' ? '€' : currency === 'USD' ? '$' : `${currency} `;
  return `${sign}${symbol}${groupThousands(String(whole))}.${frac}`;
}

/** value = qty (base units) × unit cost (money per display unit) / 10^scale, rounded half away from zero. */
export function movementValue(qty: number, unitCost: number, scale: number): number {
  const product = qty * unitCost;
  if (Number.isSafeInteger(product) && scale <= 15) {
    // Exact in doubles: % is exact on integers and (product - r) is a multiple of div. Same result as the BigInt path.
    const div = 10 ** scale;
    const r = product % div;
    const q = (product - r) / div;
    return Math.abs(r) * 2 >= div ? q + (product < 0 ? -1 : 1) : q;
  }
  const raw = (BigInt(qty) * BigInt(unitCost)) ;
  const div = 10n ** BigInt(scale);
  const q = raw / div;
  const r = raw % div;
  const twice = (r < 0n ? -r : r) * 2n;
  const rounded = twice >= div ? q + (raw < 0n ? -1n : 1n) : q;
  return Number(rounded);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
