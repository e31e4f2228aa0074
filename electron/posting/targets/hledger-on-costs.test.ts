import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HLEDGER, hledgerBalances } from '../../../test/fixtures/hledger';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { generateDemo } from '../../demo/generate-demo';
import { SqliteLedger } from '../../ledger/store/sqlite-ledger';
import { runPosting } from '../batch-runner';
import { PostingStore } from '../posting-store';
import { openTarget } from './open-target';

const DESPATCHES = ['stock_despatch', 'excellar_so_despatch', 'ep_so_sale', 'outbound', 'sale'];
const RECOVERIES = { insurance: '2220', freight: '2230', excise: '2210', customs: '2200', rhd: '2240', rent: '2250', delivery: '2260' } as const;
const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

/** Issue 13: a posted demo reaches every on-cost recovery account of seed 004, and real hledger agrees to the 1/10000. */
describe('on-costs of a posted demo ledger, read by hledger', () => {
  let f: Fixture;
  let ledger: SqliteLedger;
  let store: PostingStore;
  let file: string;
  const one = (sql: string) => ledger.db.prepare(sql).pluck().get() as number;

  beforeAll(async () => {
    f = await openFixture();
    await f.ledger.close();
    ledger = await SqliteLedger.open(join(f.dir, 'demo.db'));
    await generateDemo(ledger, { movements: 12_000, end: new Date(Date.UTC(2026, 0, 1)) });
    store = new PostingStore(ledger.db);
    file = join(f.dir, 'books.journal');
  }, 120_000);
  afterAll(async () => {
    await ledger.close();
    await f.cleanup().catch(() => {});
  });

  it('despatches, transfers and credits carry on-costs; every recovery account is posted; hledger bal equals our trial balance', async () => {
    const anyOnCost = 'oc_insurance + oc_freight + oc_excise + oc_customs + oc_rhd + oc_rent + oc_delivery > 0';
    const despatches = one(`SELECT COUNT(*) FROM movements WHERE type IN (${list(DESPATCHES)})`);
    const carrying = one(`SELECT COUNT(*) FROM movements WHERE type IN (${list(DESPATCHES)}) AND ${anyOnCost}`);
    expect(carrying).toBeGreaterThan(despatches * 0.2);
    expect(one(`SELECT COUNT(*) FROM movements WHERE type IN ('transfer_out', 'stock_transfer_out') AND ${anyOnCost}`)).toBeGreaterThan(0);
    expect(one(`SELECT COUNT(*) FROM movements WHERE type IN ('sale_refund', 'sales_credit_note') AND reversal_of IS NOT NULL AND ${anyOnCost}`)).toBeGreaterThan(0);

    const target = openTarget(store, `hledger:${file}`);
    const r = await runPosting(store, target, { to: Date.UTC(2026, 1, 1), summarised: false, userId: 1, chunkSize: 1_000 });
    expect(r.balanced && r.entryCheckOk).toBe(true);
    expect(one('SELECT COUNT(*) FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)')).toBe(0);
    execFileSync(HLEDGER, ['-f', file, 'check', '--strict'], { encoding: 'utf8' });
    const ours = Object.fromEntries(store.trialBalance(target.key).rows.filter((x) => x.balance !== 0).map((x) => [x.code, x.balance]));
    expect(hledgerBalances(file)).toEqual(ours);

    for (const [component, account] of Object.entries(RECOVERIES)) {
      // every recovery account is credited …
      expect(ours[account] ?? 0, `${account} (${component} recovery)`).toBeLessThan(0);
      // … and its despatch share is exactly the carried on-costs of despatches whose product group posts on-costs
      const expected = one(
        `SELECT COALESCE(SUM(CAST(ROUND(ABS(m.qty) * m.oc_${component} / POWER(10, p.scale)) AS INTEGER)), 0)
         FROM movements m JOIN products p ON p.id = m.product_id JOIN product_groups g ON g.id = p.group_id
         WHERE m.type IN (${list(DESPATCHES)}) AND g.post_on_costs = 1`,
      );
      const posted = one(`SELECT COALESCE(SUM(amount), 0) FROM journal_lines WHERE account = '${account}' AND movement_type IN (${list(DESPATCHES)})`);
      expect(posted, `${account} from despatches`).toBe(-expected);
    }
    // transfer on-costs only for products whose group posts them
    expect(
      one(`SELECT COUNT(*) FROM journal_lines j JOIN movements m ON m.seq = j.movement_seq JOIN products p ON p.id = m.product_id
           LEFT JOIN product_groups g ON g.id = p.group_id
           WHERE m.type IN ('transfer_out', 'stock_transfer_out') AND j.account IN (${list(Object.values(RECOVERIES))}) AND COALESCE(g.post_on_costs, 0) = 0`),
    ).toBe(0);
    // Work in Progress nets to zero, or the report says why not
    if (ours['2400'] !== undefined) expect(r.message).toMatch(/2400 Work in Progress .* GBP.*per-unit cost/);
  }, 180_000);
});
