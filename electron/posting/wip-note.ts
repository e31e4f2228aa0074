import type { PostingRule } from '../../shared/posting';

const CONSUME = new Set(['work_order_consumption']);
const MAKE = new Set(['work_order_production']);
const PREPARE = 'product_preparation';

/**
 * The accounts production runs through (Work in Progress): debited with the components' product cost, credited with
 * the made stock's, by the control-account rules.
 */
export function productionAccounts(rules: readonly PostingRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    if (r.component !== 'product') continue;
    if (CONSUME.has(r.movementType) || (r.movementType === PREPARE && r.condition === 'qty_negative')) out.add(r.debit);
    if (MAKE.has(r.movementType) || (r.movementType === PREPARE && r.condition === 'qty_positive')) out.add(r.credit);
  }
  return out;
}

/**
 * Why a production account does not net to zero over a batch, or null when every one does. Labour and overhead come
 * in from their absorption accounts and go out with the made stock, so what is left is the made stock's per-unit cost:
 * a whole number of 1/10000 per unit, its value (cost × quantity made) can differ from the components' consumed value.
 */
export function productionNote(rules: readonly PostingRule[], accounts: readonly { code: string; name: string; debit: number; credit: number }[]): string | null {
  const wip = productionAccounts(rules);
  const off = accounts.filter((a) => wip.has(a.code) && a.debit !== a.credit);
  if (off.length === 0) return null;
  const list = off.map((a) => `${a.code} ${a.name} ${((a.debit - a.credit) / 10_000).toFixed(4)} GBP`).join(', ');
  return (
    `Production accounts left with a balance by this batch: ${list}. Made stock is valued at its per-unit cost × the quantity made; ` +
    'that cost is a whole number of 1/10000 per unit (or the cost declared on the document), so it can differ from the value of the components consumed by that rounding.'
  );
}
