import { ON_COSTS } from '../../shared/domain';
import type { PostingRule } from '../../shared/posting';
import { movementValue } from '../../shared/quantity';

/** One thing to post: a movement, or a value-only credit (return to stock = false, no movement). */
export interface PostingItem {
  /** movement seq, or value credit id */
  key: number;
  kind: 'movement' | 'value_credit';
  type: string;
  qty: number;
  unitCost: number;
  /** per-unit on-costs in ON_COSTS order */
  onCosts: readonly number[];
  scale: number;
  occurredAt: number;
  documentId: number;
  /** the document in words, as journal descriptions name it ("Receipt GRN-000123": documentLabel) */
  document: string;
  groupPostsOnCosts: boolean;
  dutyPaid: boolean;
  customsPaidNonEc: boolean;
  returnToStock: boolean;
  /** a value credit's stored product value, used instead of qty × unit cost (combined on-costs are added to it) */
  fixedValue?: number;
}

/** A journal line: positive amount = debit, negative = credit (integers, 1/10000 of the currency). */
export interface JournalLine {
  account: string;
  amount: number;
}

interface CompiledRule {
  component: number; // -1 = product, else index into ON_COSTS
  rule: PostingRule;
}

/**
 * A movement type's rules in table order: all of them, and only its product rules — what an item without on-costs
 * (most) can post, since an on-cost rule of a zero on-cost gives no line and a combined product rule adds nothing.
 */
interface TypeRules {
  all: CompiledRule[];
  product: CompiledRule[];
}

/** The rule table indexed by movement type, ready for the hot loop. */
export class RuleBook {
  private readonly byType = new Map<string, TypeRules>();

  constructor(readonly rules: readonly PostingRule[]) {
    for (const rule of rules) {
      const component = rule.component === 'product' ? -1 : ON_COSTS.indexOf(rule.component);
      let list = this.byType.get(rule.movementType);
      if (!list) this.byType.set(rule.movementType, (list = { all: [], product: [] }));
      list.all.push({ component, rule });
      if (component === -1) list.product.push({ component, rule });
    }
  }

  accountsUsed(): string[] {
    return [...new Set(this.rules.flatMap((r) => [r.debit, r.credit]))].sort();
  }

  /** Appends the balanced lines of one item to `out`; returns how many it added. */
  build(item: PostingItem, out: JournalLine[]): number {
    return this.each(item, (account, amount) => out.push({ account, amount }));
  }

  /** Gives the balanced lines of one item to `line`, in order, without an object per line; returns how many it gave. */
  each(item: PostingItem, line: (account: string, amount: number) => void): number {
    const typeRules = this.byType.get(item.type);
    if (!typeRules) return 0;
    const rules = anyOnCost(item.onCosts) ? typeRules.all : typeRules.product;
    let n = 0;
    const qty = Math.abs(item.qty);
    for (const { component, rule } of rules) {
      if (!conditionHolds(rule, item)) continue;
      const onCostsAllowed = !rule.onCostsNeedGroup || item.groupPostsOnCosts;
      let value: number;
      if (component === -1) {
        value = item.fixedValue !== undefined ? Math.abs(item.fixedValue) : movementValue(qty, item.unitCost, item.scale);
        // Combined: each on-cost valued as it would post on its own, then added (so a credit undoes the sale's lines exactly).
        if (rule.combineOnCosts && onCostsAllowed) {
          for (const oc of item.onCosts) if (oc !== 0) value += movementValue(qty, oc, item.scale);
        }
      } else {
        if (!onCostsAllowed) continue;
        const oc = item.onCosts[component] ?? 0;
        value = oc === 0 ? 0 : movementValue(qty, oc, item.scale);
      }
      if (value === 0 || rule.debit === rule.credit) continue;
      line(rule.debit, value);
      line(rule.credit, -value);
      n += 2;
    }
    return n;
  }
}

function anyOnCost(onCosts: readonly number[]): boolean {
  for (const oc of onCosts) if (oc !== 0) return true;
  return false;
}

function conditionHolds(rule: PostingRule, item: PostingItem): boolean {
  switch (rule.condition) {
    case 'always':
      return true;
    case 'qty_positive':
      return item.qty > 0;
    case 'qty_negative':
      return item.qty < 0;
    case 'return_to_stock':
      return item.returnToStock;
    case 'not_return_to_stock':
      return !item.returnToStock;
    case 'duty_paid':
      return item.dutyPaid;
    case 'not_duty_paid':
      return !item.dutyPaid;
    case 'customs_paid_non_ec':
      return item.customsPaidNonEc;
  }
}

/** Sums lines per account, dropping accounts that net to zero (summarised postings). */
export function netByAccount(lines: readonly JournalLine[], into = new Map<string, number>()): Map<string, number> {
  for (const l of lines) into.set(l.account, (into.get(l.account) ?? 0) + l.amount);
  return into;
}

export function isBalanced(lines: Iterable<JournalLine>): boolean {
  let sum = 0;
  for (const l of lines) sum += l.amount;
  return sum === 0;
}
