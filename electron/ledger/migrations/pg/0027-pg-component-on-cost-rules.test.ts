import { describe, expect, it } from 'vitest';
import { presetControlAccounts } from '../../../posting/default-rules';
import type { PgFixture } from '../../../../test/fixtures/pg-ledger';
import { pgMigrationForFile } from '../../../../test/fixtures/pg-migration-runner';
import { PgComponentOnCostRules1764700002700 } from './0027-pg-component-on-cost-rules';

let f: PgFixture;
const run = pgMigrationForFile(PgComponentOnCostRules1764700002700, (x) => (f = x));

const key = (r: { movementType: string; component: string; condition: string; debit: string; credit: string; combineOnCosts: boolean; onCostsNeedGroup: boolean }) =>
  `${r.movementType} ${r.component} ${r.condition} ${r.debit}/${r.credit} ${r.combineOnCosts} ${r.onCostsNeedGroup}`;
const rules = async () =>
  (await f.pool.query<{ k: string }>(
    `SELECT movement_type || ' ' || component || ' ' || condition || ' ' || debit_account || '/' || credit_account || ' ' || combine_on_costs || ' ' || on_costs_need_group AS k
     FROM posting_rules`,
  )).rows.map((r) => r.k).sort();

describe('pg 0027: a Vision Commerce map loaded before production carried its components’ on-costs gets their rules', () => {
  it('adds exactly the preset’s 18 consumption/preparation on-cost rules to the old preset, and down takes them away', async () => {
    const { accounts, rules: preset } = presetControlAccounts('vision-commerce');
    const added = preset.filter((r) => (r.movementType === 'work_order_consumption' || (r.movementType === 'product_preparation' && r.condition === 'qty_negative')) && r.component !== 'product');
    expect(added).toHaveLength(18);
    await f.pool.query('DELETE FROM posting_rules');
    await f.pool.query('DELETE FROM finance_accounts');
    for (const a of accounts) await f.pool.query('INSERT INTO finance_accounts (code, name) VALUES ($1, $2)', [a.code, a.name]);
    for (const r of preset.filter((x) => !added.includes(x))) {
      await f.pool.query('INSERT INTO posting_rules (movement_type, component, condition, combine_on_costs, on_costs_need_group, debit_account, credit_account) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [r.movementType, r.component, r.condition, r.combineOnCosts, r.onCostsNeedGroup, r.debit, r.credit]);
    }
    const before = await rules();
    await run('up');
    expect(await rules()).toEqual(preset.map(key).sort());
    await run('down');
    expect(await rules()).toEqual(before);
  });
});
