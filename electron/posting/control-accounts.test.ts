import { describe, expect, it } from 'vitest';
import type { ControlAccounts } from '../../shared/posting';
import { refusalOf } from '../../test/fixtures/refusal';
import { postUpTo, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Control Account Maintenance on the configured store: an account renamed in the chart is saved with its rules in one
 * save (the window carries the rules along), posted journals keep the code they were posted with, and a chart that
 * leaves rules without their account, or holds a code twice, is refused saying which account, which rules and what to do.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
/** Posting waits for a real job (a SQLite run takes its checked backup first): a loaded machine's minutes, no limit checked. */
const SLOW = 180_000;

const save = (c: ControlAccounts) => s.call('posting.saveControlAccounts', { ...c, target: 'builtin' });
const receiptRule = (c: ControlAccounts) => c.rules.find((r) => r.movementType === 'stock_receipt' && r.component === 'product' && r.condition === 'always')!;

describe('control accounts', () => {
  it('an account renamed with its rules is saved in one save; journals posted before keep the old code', async () => {
    await s.call('operations.receive', {
      idempotencyKey: `control-accounts-${process.pid}`, kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt: '2026-01-05T09:00:00.000Z',
      lines: [{ productId: s.ids.bulk, qty: 2_000, unitCost: 15_000 }],
    });
    await postUpTo(s, '2026-01-05T23:00:00.000Z');
    const before = await s.call('posting.controlAccounts', {});
    const old = receiptRule(before).debit;
    const renamed = `${old}-W`;
    const carried = (code: string) => (code === old ? renamed : code);
    const after = await save({
      accounts: before.accounts.map((a) => (a.code === old ? { ...a, code: renamed } : a)),
      rules: before.rules.map((r) => ({ ...r, debit: carried(r.debit), credit: carried(r.credit) })),
    });
    expect(after.accounts.map((a) => a.code)).toContain(renamed);
    expect(after.accounts.map((a) => a.code)).not.toContain(old);
    expect(receiptRule(after).debit).toBe(renamed);
    expect(after.rules.filter((r) => r.debit === old || r.credit === old)).toEqual([]);
    const posted = await s.rows<{ account: string }>('SELECT DISTINCT account FROM journal_lines ORDER BY account');
    expect(posted.map((r) => r.account)).toContain(old);
    expect(posted.map((r) => r.account)).not.toContain(renamed);
  }, SLOW);

  it('a chart that drops an account its rules post to is refused naming the account, the rules and what to do; nothing changes', async () => {
    const before = await s.call('posting.controlAccounts', {});
    const old = receiptRule(before).debit;
    const users = before.rules.filter((r) => r.debit === old || r.credit === old).length;
    const refusal = await refusalOf(() => save({ ...before, accounts: before.accounts.map((a) => (a.code === old ? { ...a, code: `${old}-W` } : a)) }));
    expect(refusal.code).toBe('VALIDATION');
    expect(refusal.message).toContain(`Account ${old} is not in the chart being saved, but ${users === 1 ? 'a rule posts' : `${users} rules post`} to it: `);
    expect(refusal.message).toContain('Stock Receipt, product cost, always (debit)');
    expect(refusal.message).toContain(`Put ${old} back in the chart, or give th`);
    expect(await s.call('posting.controlAccounts', {})).toEqual(before);
  });

  it('a code given twice in the chart is refused naming both accounts; nothing changes', async () => {
    const before = await s.call('posting.controlAccounts', {});
    const [a, b] = before.accounts;
    const refusal = await refusalOf(() => save({ ...before, accounts: before.accounts.map((x) => (x === b ? { ...x, code: a!.code } : x)) }));
    expect(refusal).toMatchObject({
      code: 'VALIDATION',
      message: `Account code ${a!.code} is given 2 times in the chart ("${a!.name}", "${b!.name}"). Give each account its own code, then save again.`,
    });
    expect(await s.call('posting.controlAccounts', {})).toEqual(before);
  });
});
