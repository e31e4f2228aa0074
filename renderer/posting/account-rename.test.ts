import { describe, expect, it } from 'vitest';
import type { ControlAccounts, PostingRule } from '../../shared/posting';
import { cellsOfAccount, renameAccount } from './account-rename';

const rule = (movementType: string, debit: string, credit: string): PostingRule => ({ movementType, component: 'product', condition: 'always', combineOnCosts: false, onCostsNeedGroup: false, debit, credit });
const chart: ControlAccounts = {
  accounts: [{ code: '1000', name: 'Stock' }, { code: '1100', name: 'Stock in transit' }, { code: '5000', name: 'Cost of sales' }],
  rules: [rule('stock_receipt', '1000', '2100'), rule('stock_despatch', '5000', '1000'), rule('transfer_out', '1100', '1100')],
};

describe('renaming an account in Control Account Maintenance', () => {
  it('carries the rules that post to it, debit and credit, keystroke by keystroke, even past another account\'s code', () => {
    const cells = cellsOfAccount(chart, 0);
    expect(cells).toEqual([{ rule: 0, side: 'debit' }, { rule: 1, side: 'credit' }]);
    // typed on the way: "1100" is the next account's code; its rules stay its own, and ours follow to the end
    const passing = renameAccount(chart, 0, '1100', cells);
    expect(passing.rules[2]).toEqual(chart.rules[2]);
    const done = renameAccount(passing, 0, '1010', cells);
    expect(done.accounts.map((a) => a.code)).toEqual(['1010', '1100', '5000']);
    expect(done.rules.map((r) => [r.debit, r.credit])).toEqual([['1010', '2100'], ['5000', '1010'], ['1100', '1100']]);
  });

  it('carries nothing when the code is not the account\'s alone, or is empty', () => {
    const twice = { ...chart, accounts: [...chart.accounts, { code: '1000', name: 'Stock again' }] };
    expect(cellsOfAccount(twice, 0)).toEqual([]);
    expect(cellsOfAccount({ ...chart, accounts: [...chart.accounts, { code: '', name: '' }] }, 3)).toEqual([]);
  });

  it('carries both sides of a rule that posts to the account twice', () => {
    const cells = cellsOfAccount(chart, 1);
    expect(renameAccount(chart, 1, '1150', cells).rules[2]).toMatchObject({ debit: '1150', credit: '1150' });
  });
});
