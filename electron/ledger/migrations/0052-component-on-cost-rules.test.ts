import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presetControlAccounts } from '../../posting/default-rules';
import { openLedgerDataSource } from '../data-source';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';

type Rule = { type: string; component: string; condition: string; debit: string; credit: string; combine: number; needGroup: number };
const NEW_ON_COSTS = ['insurance', 'freight', 'excise', 'customs', 'rhd', 'rent', 'delivery', 'labour', 'overhead'];
/** A consumption's or preparation's (qty < 0) on-cost rule: what 0052 adds. */
const isComponentOnCost = (r: { movementType: string; component: string; condition: string }) =>
  ((r.movementType === 'work_order_consumption' && r.condition === 'always') || (r.movementType === 'product_preparation' && r.condition === 'qty_negative')) &&
  NEW_ON_COSTS.includes(r.component);

describe('migration 0052 (production components’ on-cost rules)', () => {
  it('gives a Vision Commerce map loaded before it the rules the preset has now, leaves an edited map and the shop map as they are, and undoes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig52-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      await undoMigrationsThrough({ dataSource, db }, 'ComponentOnCostRules1732400005200');
      const rules = () =>
        db.prepare(`SELECT movement_type AS type, component, condition, debit_account AS debit, credit_account AS credit, combine_on_costs AS combine,
          on_costs_need_group AS needGroup FROM posting_rules ORDER BY movement_type, component, condition`).all() as Rule[];
      const load = (preset: 'vision-commerce' | 'single-site-shop', edit: (r: Rule) => Rule = (r) => r) => {
        db.prepare('DELETE FROM posting_rules').run();
        db.prepare('DELETE FROM finance_accounts').run();
        const { accounts, rules: all } = presetControlAccounts(preset);
        for (const a of accounts) db.prepare('INSERT INTO finance_accounts (code, name) VALUES (?, ?)').run(a.code, a.name);
        const insert = db.prepare('INSERT INTO posting_rules (movement_type, component, condition, combine_on_costs, on_costs_need_group, debit_account, credit_account) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const r of all.filter((x) => !isComponentOnCost(x))) {
          const e = edit({ type: r.movementType, component: r.component, condition: r.condition, debit: r.debit, credit: r.credit, combine: r.combineOnCosts ? 1 : 0, needGroup: r.onCostsNeedGroup ? 1 : 0 });
          insert.run(e.type, e.component, e.condition, e.combine, e.needGroup, e.debit, e.credit);
        }
        return rules();
      };
      const migrate = async () => {
        await dataSource.runMigrations({ transaction: 'each' });
        const after = rules();
        await undoMigrationsThrough({ dataSource, db }, 'ComponentOnCostRules1732400005200');
        return after;
      };
      const preset = presetControlAccounts('vision-commerce').rules
        .map((r) => ({ type: r.movementType, component: r.component, condition: r.condition, debit: r.debit, credit: r.credit, combine: r.combineOnCosts ? 1 : 0, needGroup: r.onCostsNeedGroup ? 1 : 0 }))
        .sort((a, b) => (a.type + '\0' + a.component + '\0' + a.condition < b.type + '\0' + b.component + '\0' + b.condition ? -1 : 1));
      expect(preset.filter((r) => isComponentOnCost({ movementType: r.type, ...r }))).toHaveLength(18);

      // The preset as it was loaded before: it gets the 18 rules, exactly as the preset has them now.
      const old = load('vision-commerce');
      expect(old).toHaveLength(preset.length - 18);
      expect(await migrate()).toEqual(preset);
      expect(rules()).toEqual(old); // down takes them away again

      // A freight recovery the company removed from its chart: no rule credits an account that is not there.
      db.prepare("DELETE FROM finance_accounts WHERE code = '2230'").run();
      const added = (await migrate()).filter((r) => isComponentOnCost({ movementType: r.type, ...r }));
      expect(added.map((r) => `${r.type} ${r.component}`)).toEqual(preset.filter((r) => isComponentOnCost({ movementType: r.type, ...r }) && r.component !== 'freight').map((r) => `${r.type} ${r.component}`));

      // Production run through the company's own account: its map is its own, nothing is added.
      const edited = load('vision-commerce', (r) => (r.debit === '2400' ? { ...r, debit: '2410' } : r.credit === '2400' ? { ...r, credit: '2410' } : r));
      expect(await migrate()).toEqual(edited);
      const shop = load('single-site-shop');
      expect(await migrate()).toEqual(shop);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
