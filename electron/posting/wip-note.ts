import type { PostingRule } from '../../shared/posting';
import type { ProductionBalance } from '../../shared/production-note';

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
 * The production accounts a batch left with a balance (none when every one nets to zero). Labour and overhead come in
 * from their absorption accounts and go out with the made stock, so what is left is the made stock's per-unit cost:
 * a whole number of 1/10000 per unit, its value (cost × quantity made) can differ from the components' consumed value.
 * The report tells them in words (shared/production-note.ts), each amount in the format of where it is shown.
 */
export function productionBalances(rules: readonly PostingRule[], accounts: readonly { code: string; name: string; debit: number; credit: number }[]): ProductionBalance[] {
  const wip = productionAccounts(rules);
  return accounts.filter((a) => wip.has(a.code) && a.debit !== a.credit).map((a) => ({ code: a.code, name: a.name, balance: a.debit - a.credit }));
}
