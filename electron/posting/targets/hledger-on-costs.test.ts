import { execFileSync } from 'node:child_process';
import { formatJournalMoney } from '../../../shared/company-format';
import { reportMessage } from '../../../shared/production-note';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfDay, startOfDay } from '../../../shared/business-time';
import { businessDay } from '../../../shared/company-format';
import { demoOnStore } from '../../../test/fixtures/demo-on-store';
import { HLEDGER, hledgerBalances, ledgerCliBalances } from '../../../test/fixtures/hledger';
import { closeVerified, type PostingLedger } from '../../../test/fixtures/posting-under-test';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';
import { machineDefaults } from '../../company/company-rules';
import { runPosting } from '../batch-runner';

const DESPATCHES = ['stock_despatch', 'excellar_so_despatch', 'ep_so_sale', 'outbound', 'sale'];
const RECOVERIES = { insurance: '2220', freight: '2230', excise: '2210', customs: '2200', rhd: '2240', rent: '2250', delivery: '2260' } as const;
const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
const LONDON = 'Europe/London';
/** The dates of one batch's entries, as hledger reads them from the journal file. */
const hledgerDates = (file: string, batchId: number) =>
  execFileSync(HLEDGER, ['-f', file, 'print', `tag:batch=${batchId}`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    .split('\n')
    .filter((l) => /^\d{4}-\d{2}-\d{2}/.test(l))
    .map((l) => l.slice(0, 10));

/**
 * Issue 13: a posted demo reaches every on-cost recovery account of seed 004, and real hledger and ledger-cli agree
 * with Stockbook's trial balance to the 1/10000; posted month by month in Europe/London, a month cuts at local midnight.
 * On the configured store (test/fixtures/store-under-test.ts), over the demo ledger (test/fixtures/demo-on-store.ts).
 */
const cluster = clusterForConfiguredStore();

describe(`on-costs of a posted demo ledger, read by hledger, on ${STORE_UNDER_TEST}`, () => {
  let d: PostingLedger;
  let file: string;
  /** The one value a query answers (SQL that reads the same on both stores). */
  const one = async (sql: string, params: unknown[] = []) => Number(Object.values((await d.rows(sql, params))[0]!)[0]);

  beforeAll(async () => {
    d = await demoOnStore(cluster(), { movements: 12_000, end: new Date(Date.UTC(2026, 0, 1)) });
    await d.saveCompany({ ...machineDefaults(), timeZone: LONDON });
    file = join(d.dir, 'books.journal');
  }, 300_000);
  afterAll(() => d && closeVerified(d), 120_000);

  it('despatches, transfers and credits carry on-costs; every recovery account is posted; hledger and ledger-cli bal equal our trial balance; a London month cuts at local midnight', async () => {
    const anyOnCost = 'oc_insurance + oc_freight + oc_excise + oc_customs + oc_rhd + oc_rent + oc_delivery > 0';
    const despatches = await one(`SELECT COUNT(*) FROM movements WHERE type IN (${list(DESPATCHES)})`);
    const carrying = await one(`SELECT COUNT(*) FROM movements WHERE type IN (${list(DESPATCHES)}) AND ${anyOnCost}`);
    expect(carrying).toBeGreaterThan(despatches * 0.2);
    expect(await one(`SELECT COUNT(*) FROM movements WHERE type IN ('transfer_out', 'stock_transfer_out') AND ${anyOnCost}`)).toBeGreaterThan(0);
    expect(await one(`SELECT COUNT(*) FROM movements WHERE type IN ('sale_refund', 'sales_credit_note') AND reversal_of IS NOT NULL AND ${anyOnCost}`)).toBeGreaterThan(0);

    const target = await d.openTarget(`hledger:${file}`);
    // Posted as an accountant would at month ends in London: up to 30 June, then July, then the rest.
    const june = await runPosting(d.store, target, { to: endOfDay('2025-06-30', LONDON), summarised: false, userId: 1, chunkSize: 1_000 });
    const july = await runPosting(d.store, target, { to: endOfDay('2025-07-31', LONDON), summarised: false, userId: 1, chunkSize: 1_000 });
    const rest = await runPosting(d.store, target, { to: Date.UTC(2026, 1, 1), summarised: false, userId: 1, chunkSize: 1_000 });
    for (const b of [june, july, rest]) expect(b.balanced && b.entryCheckOk, `batch ${b.batchId}`).toBe(true);
    expect(july.movementCount).toBeGreaterThan(100);
    expect(await one('SELECT COUNT(*) FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)')).toBe(0);
    execFileSync(HLEDGER, ['-f', file, 'check', '--strict'], { encoding: 'utf8' });
    await d.allJournalLines();
    const ours = Object.fromEntries((await d.trialBalance(target.key)).rows.filter((x) => x.balance !== 0).map((x) => [x.code, x.balance]));
    expect(hledgerBalances(file)).toEqual(ours);
    expect(ledgerCliBalances(file)).toEqual(ours);

    // The July batch: every movement of 1–31 July London time (BST, so from 23:00 UTC on 30 June) and nothing else; its
    // entries are dated on the movements' London days, none 30 June — read back by hledger from the journal file.
    const julyFrom = startOfDay('2025-07-01', LONDON);
    const julyTo = endOfDay('2025-07-31', LONDON);
    const [julySpan] = await d.rows<{ a: number; b: number; n: number }>(
      'SELECT MIN(m.occurred_at) AS a, MAX(m.occurred_at) AS b, COUNT(*) AS n FROM movement_postings p JOIN movements m ON m.seq = p.movement_seq WHERE p.batch_id = ?',
      [july.batchId],
    );
    expect(julySpan!.n).toBe(july.movementCount);
    expect(julySpan!.a).toBeGreaterThanOrEqual(julyFrom);
    expect(julySpan!.b).toBeLessThanOrEqual(julyTo);
    expect(await one(`SELECT COUNT(*) FROM movements WHERE occurred_at BETWEEN ${julyFrom} AND ${julyTo}`)).toBe(july.movementCount);
    const julyDates = hledgerDates(file, july.batchId);
    expect(julyDates.length).toBeGreaterThan(0);
    expect(julyDates.filter((d) => !d.startsWith('2025-07-'))).toEqual([]);
    const julyDays = (await d.rows<{ t: number }>('SELECT m.occurred_at AS t FROM movement_postings p JOIN movements m ON m.seq = p.movement_seq WHERE p.batch_id = ?', [july.batchId])).map((x) => businessDay(x.t, LONDON));
    expect([...new Set(julyDates)].sort()).toEqual([...new Set(julyDays)].sort());
    expect(hledgerDates(file, june.batchId).filter((d) => d > '2025-06-30')).toEqual([]);

    for (const [component, account] of Object.entries(RECOVERIES)) {
      // every recovery account is credited …
      expect(ours[account] ?? 0, `${account} (${component} recovery)`).toBeLessThan(0);
      // … and its despatch share is exactly the carried on-costs of despatches whose product group posts on-costs
      // (exact decimals, rounded half away from zero, on both stores: PostgreSQL's ROUND of a double rounds half to even)
      const expected = await one(
        `SELECT COALESCE(SUM(CAST(ROUND(CAST(ABS(m.qty) * m.oc_${component} AS NUMERIC) / POWER(10.0, p.scale)) AS BIGINT)), 0)
         FROM movements m JOIN products p ON p.id = m.product_id JOIN product_groups g ON g.id = p.group_id
         WHERE m.type IN (${list(DESPATCHES)}) AND g.post_on_costs = TRUE`,
      );
      const posted = await one(`SELECT COALESCE(SUM(amount), 0) FROM all_journal_lines WHERE account = '${account}' AND movement_type IN (${list(DESPATCHES)})`);
      expect(posted, `${account} from despatches`).toBe(-expected);
    }
    // transfer on-costs only for products whose group posts them
    expect(
      await one(`SELECT COUNT(*) FROM all_journal_lines j JOIN movements m ON m.seq = j.movement_seq JOIN products p ON p.id = m.product_id
           LEFT JOIN product_groups g ON g.id = p.group_id
           WHERE m.type IN ('transfer_out', 'stock_transfer_out') AND j.account IN (${list(Object.values(RECOVERIES))}) AND COALESCE(g.post_on_costs, FALSE) = FALSE`),
    ).toBe(0);
    // Work in Progress nets to zero over the completed production, or a batch's report says by how much and why not
    expect(await one("SELECT COUNT(*) FROM movements WHERE type IN ('work_order_production', 'product_preparation')")).toBeGreaterThan(0);
    if (ours['2400'] !== undefined) expect([june, july, rest].map((b) => reportMessage(b, formatJournalMoney)).join(' ')).toMatch(/2400 Work in Progress -?£-?[\d,]+\.\d{4}\b.*per-unit cost/);
  }, 180_000);
});
