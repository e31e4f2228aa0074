import type { ControlAccounts } from '../../shared/posting';

/** One debit or credit cell of the rule table. */
export interface RuleCell {
  rule: number;
  side: 'debit' | 'credit';
}

/**
 * The rule cells that post to chart row `row` when its code starts being edited: those an edit of the code carries
 * along. None when another row holds the same code (which account they mean is not known: the save refuses the
 * duplicate code instead). Taken once, at the start of the edit, so a code typed on the way that equals another
 * account's never gathers that account's rules.
 */
export function cellsOfAccount(data: ControlAccounts, row: number): RuleCell[] {
  const code = data.accounts[row]?.code ?? '';
  if (code === '' || data.accounts.some((a, i) => i !== row && a.code === code)) return [];
  return data.rules.flatMap((r, i) => [
    ...(r.debit === code ? [{ rule: i, side: 'debit' as const }] : []),
    ...(r.credit === code ? [{ rule: i, side: 'credit' as const }] : []),
  ]);
}

/** Chart row `row` given `code`, and the rule cells that posted to it (cellsOfAccount) given it too: one edit. */
export function renameAccount(data: ControlAccounts, row: number, code: string, cells: readonly RuleCell[]): ControlAccounts {
  const moved = new Map<number, RuleCell['side'][]>();
  for (const c of cells) moved.set(c.rule, [...(moved.get(c.rule) ?? []), c.side]);
  return {
    accounts: data.accounts.map((a, i) => (i === row ? { ...a, code } : a)),
    rules: data.rules.map((r, i) => {
      const sides = moved.get(i);
      if (!sides) return r;
      return { ...r, ...(sides.includes('debit') ? { debit: code } : {}), ...(sides.includes('credit') ? { credit: code } : {}) };
    }),
  };
}
