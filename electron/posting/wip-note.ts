import type { PostingRule } from '../../shared/posting';
import type { ProductionBalance } from '../../shared/production-note';

const CONSUME = 'work_order_consumption';
const MAKE = 'work_order_production';
const PREPARE = 'product_preparation';

/** A rule a consumed component (qty < 0) posts by; `always` rules of the consumption type included. */
const consumes = (r: PostingRule) => (r.movementType === CONSUME || r.movementType === PREPARE) && r.condition !== 'qty_positive';
/** A rule the made stock (qty > 0) posts by. */
const makes = (r: PostingRule) => (r.movementType === MAKE || r.movementType === PREPARE) && r.condition !== 'qty_negative';
const isProduction = (r: PostingRule) => r.movementType === CONSUME || r.movementType === MAKE || r.movementType === PREPARE;

/**
 * The accounts production runs through: debited with the components' product cost, credited with the made stock's,
 * by the control-account rules, and used by no other movement type (so a batch's total there is production's alone;
 * the stock account, which the same rules credit and debit, is not one). `rounding` says whether the rules bring
 * into it everything the made stock takes out — the components' on-costs whatever their group (production.ts puts
 * them into the made stock's cost) and the made stock's labour and overhead — so that what is left is the made stock's
 * per-unit rounding; otherwise (a single-site chart's Kitchen Production) it keeps what it absorbs.
 */
export function productionAccounts(rules: readonly PostingRule[]): Map<string, { rounding: boolean }> {
  const elsewhere = new Set(rules.filter((r) => !isProduction(r)).flatMap((r) => [r.debit, r.credit]));
  const out = new Map<string, { rounding: boolean }>();
  const credited = new Set(rules.filter((r) => makes(r) && r.component === 'product').map((r) => r.credit));
  for (const r of rules) {
    if (!consumes(r) || r.component !== 'product' || !credited.has(r.debit) || elsewhere.has(r.debit)) continue;
    const account = r.debit;
    const onCostsIn = (r.combineOnCosts && !r.onCostsNeedGroup) || rules.some((x) => consumes(x) && x.component !== 'product' && x.debit === account && !x.onCostsNeedGroup);
    const absorbedIn = rules.some((x) => makes(x) && (x.component === 'labour' || x.component === 'overhead') && x.debit === account);
    out.set(account, { rounding: onCostsIn && absorbedIn });
  }
  return out;
}

/**
 * The production accounts a batch left with a balance (none when every one nets to zero). Where the rules bring in
 * all the made stock takes out, what is left is the made stock's per-unit cost: a whole number of 1/10000 per unit,
 * its value (cost × quantity made) can differ from the components' consumed value. The report tells them in words
 * (shared/production-note.ts), each amount in the format of where it is shown.
 */
export function productionBalances(rules: readonly PostingRule[], accounts: readonly { code: string; name: string; debit: number; credit: number }[]): ProductionBalance[] {
  const wip = productionAccounts(rules);
  return accounts
    .filter((a) => wip.has(a.code) && a.debit !== a.credit)
    .map((a) => ({ code: a.code, name: a.name, balance: a.debit - a.credit, ...(wip.get(a.code)!.rounding ? {} : { absorbs: true }) }));
}
