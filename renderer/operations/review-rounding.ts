import { formatUnitCost, shownMoney } from '../common/format';

/**
 * What the Review's total line says when its rows, as shown (each rounded to the currency's minor units), do not add
 * up to a total shown: the totals are of the exact values, as the journal posts them (3,7248 € + 1,8624 € out is
 * 5,5872 €, shown 5,59 €, while the rows show 3,72 € and 1,86 €). Null when they add up.
 */
export function reviewRoundingNote(values: readonly number[], valueIn: number, valueOut: number): string | null {
  const shownSum = (sign: 1 | -1) => values.filter((v) => sign * v > 0).reduce((sum, v) => sum + shownMoney(Math.abs(v)), 0);
  const off = [
    shownSum(1) !== shownMoney(valueIn) ? `in ${formatUnitCost(valueIn)}` : '',
    shownSum(-1) !== shownMoney(valueOut) ? `out ${formatUnitCost(valueOut)}` : '',
  ].filter(Boolean);
  return off.length ? `the rows are rounded; exact value ${off.join(', ')}` : null;
}
