import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecipeExplosion } from '../../shared/recipes';
import { asUser } from '../../test/fixtures/caller';
import { openBothLedgers, type BothLedgers } from '../../test/fixtures/both-ledgers';
import { onBoth, outcomeOf } from '../../test/fixtures/both-stores';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { recipesOps } from './recipes.ops';
import { recipesPgOps } from './recipes.pg-ops';

/**
 * Recipes on both stores: the same saves (with every rule's refusal: stock type, duplicate line, quantity, inactive
 * component, cycle, a second version at one time), reads and explosions (nested, at dates between versions) give the
 * same answers on SQLite (recipes.ops.ts) and PostgreSQL (recipes.pg-ops.ts); two servers saving the two halves of a
 * cycle at once cannot both succeed.
 */
const NOW = Date.UTC(2026, 8, 30, 17, 0);
const clock = () => NOW;
let cluster: TestCluster;
let both: BothLedgers;
let p: { sauce: number; stock: number; butter: number; cream: number; plate: number; old: number };
beforeAll(async () => {
  cluster = await startTestCluster();
  // both fixtures give RISOTTO its recipe (120 g of rice a unit): the same version ids on both
  both = await openBothLedgers(cluster, clock);
  p = {
    sauce: await both.addProduct({ sku: 'R-SAUCE', name: 'Sauce', unit: 'l', scale: 1, stockType: 'Recipe' }),
    stock: await both.addProduct({ sku: 'R-STOCK', name: 'Veal stock', unit: 'l', scale: 3, stockType: 'Made' }),
    butter: await both.addProduct({ sku: 'R-BUTTER', name: 'Butter', unit: 'kg', scale: 3, stockType: 'Supplied' }),
    cream: await both.addProduct({ sku: 'R-CREAM', name: 'Cream', unit: 'l', scale: 3, stockType: 'Supplied' }),
    plate: await both.addProduct({ sku: 'R-PLATE', name: 'Plate of the day', unit: 'ea', scale: 0, stockType: 'Recipe' }),
    old: await both.addProduct({ sku: 'R-OLD', name: 'Old oil', unit: 'l', scale: 3, stockType: 'Supplied' }),
  };
  both.sqlite.ledger.db.prepare('UPDATE products SET active = 0 WHERE id = ?').run(p.old);
  await both.pg.pool.query('UPDATE products SET active = false WHERE id = $1', [p.old]);
});
afterAll(async () => {
  await both?.close();
  cluster?.stop();
});

const JUNE = '2026-06-01T00:00:00.000Z';

describe('recipes on SQLite and on PostgreSQL', () => {
  it('give the same answers and refusals for the same saves, reads and explosions', async () => {
    const admin = asUser(both.sqlite.ids.admin);
    const line = (productId: number, qtyPerUnit: number) => ({ productId, qtyPerUnit });
    const save = (recipeId: number, components: { productId: number; qtyPerUnit: number }[], effectiveFrom?: string) =>
      ['recipes.save', { recipeId, components, ...(effectiveFrom ? { effectiveFrom } : {}) }, admin] as const;
    const result = await onBoth(recipesOps(both.sqliteCtx, clock), recipesPgOps(both.pgCtx), [
      save(p.sauce, [line(p.butter, 200), line(p.stock, 500)]),
      save(p.sauce, [line(p.butter, 200)], '1970-01-01T00:00:00.000Z'),
      save(p.stock, [line(p.sauce, 5)]),
      save(p.stock, [line(p.cream, 300)]),
      save(p.butter, [line(p.cream, 1)]),
      save(p.sauce, [line(p.butter, 250), line(p.butter, 1)], JUNE),
      save(p.sauce, [line(p.butter, 0)], JUNE),
      save(p.sauce, [line(p.old, 10)], JUNE),
      save(p.sauce, [line(p.sauce, 10)], JUNE),
      save(p.sauce, [], JUNE),
      save(9999, [line(p.butter, 1)], JUNE),
      save(p.sauce, [line(p.butter, 250), line(p.cream, 125)], JUNE),
      save(p.sauce, [line(p.butter, 1)], JUNE),
      save(p.plate, [line(p.sauce, 3), line(p.cream, 10), line(both.sqlite.ids.other, 1)]),
      ['recipes.versions', { recipeId: p.sauce }],
      ['recipes.versions', { recipeId: p.butter }],
      ['recipes.versionAt', { recipeId: p.sauce, at: '2026-01-01T00:00:00.000Z' }],
      ['recipes.versionAt', { recipeId: p.sauce, at: '2027-01-01T00:00:00.000Z' }],
      ['recipes.versionAt', { recipeId: p.sauce }],
      ['recipes.products', { search: 'R-', limit: 50 }],
      ['recipes.products', { search: 'sauce', limit: 1 }],
      ['recipes.explode', { recipeId: p.plate, qty: 7, at: '2026-01-01T00:00:00.000Z' }],
      ['recipes.explode', { recipeId: p.plate, qty: 7, at: '2027-01-01T00:00:00.000Z' }],
      ['recipes.explode', { recipeId: p.sauce, qty: 15 }],
      ['recipes.explode', { recipeId: p.butter, qty: 1 }],
      ['recipes.explode', { recipeId: 9999, qty: 1 }],
    ]);
    expect(result.pg).toEqual(result.sqlite);
    const refused = result.sqlite.filter(([, o]) => 'refused' in o).map(([name]) => name);
    expect(refused).toEqual(['1 recipes.save', '2 recipes.save', '4 recipes.save', '5 recipes.save', '6 recipes.save', '7 recipes.save', '8 recipes.save', '9 recipes.save', '10 recipes.save', '12 recipes.save', '24 recipes.explode', '25 recipes.explode']);
    // The nested explosion went two levels deep, and June's version changed what leaves stock.
    const [jan, jul] = [21, 22].map((i) => (result.sqlite[i]![1] as { answer: RecipeExplosion }).answer);
    expect(jan!.tree.find((n) => n.product.sku === 'R-SAUCE')!.children.length).toBe(2);
    expect(jan!.totals).not.toEqual(jul!.totals);

    const audit = await both.rows<{ detail: string; username: string; at: number }>("SELECT detail, username, at FROM audit_log WHERE action = 'master-data-changed' ORDER BY id");
    expect(audit.pg.length).toBe(4);
    expect(audit.pg).toEqual(audit.sqlite);
    expect(both.events.pg).toEqual(both.events.sqlite);
  });
});

describe('two servers on one PostgreSQL', () => {
  it('saving the two halves of a cycle at once: one is saved, the other refused as a cycle', async () => {
    const admin = asUser(both.pg.ids.admin);
    const x = await both.addProduct({ sku: 'CYC-X', name: 'X', unit: 'ea', scale: 0, stockType: 'Made' });
    const y = await both.addProduct({ sku: 'CYC-Y', name: 'Y', unit: 'ea', scale: 0, stockType: 'Made' });
    const [a, b] = [recipesPgOps(both.server().ctx), recipesPgOps(both.server().ctx)];
    for (let round = 0; round < 5; round++) {
      const at = `2030-01-0${round + 1}T00:00:00.000Z`;
      const outcomes = await Promise.all([
        outcomeOf(() => a['recipes.save']!({ recipeId: x, effectiveFrom: at, components: [{ productId: y, qtyPerUnit: 1 }] }, admin)),
        outcomeOf(() => b['recipes.save']!({ recipeId: y, effectiveFrom: at, components: [{ productId: x, qtyPerUnit: 1 }] }, admin)),
      ]);
      const refusals = outcomes.flatMap((o) => ('refused' in o ? [o.refused] : []));
      expect(refusals).toHaveLength(1);
      for (const r of refusals) expect(r.message).toMatch(/A recipe cannot contain itself through its components/);
    }
  });
});
