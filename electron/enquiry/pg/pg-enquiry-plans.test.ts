import type pg from 'pg';
import type { MovementFilter } from '../../../shared/contract/enquiry.schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { planned } from '../../../test/fixtures/pg-planned-reader';
import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import { startTestCluster, type TestCluster } from '../../ledger/pg/test-cluster';
import { PgBatchJourneyStore } from './pg-batch-journey-store';
import { PgDashboardStore } from './pg-dashboard-store';
import { PgMovementQuery } from './pg-movement-query';
import { BROAD_DOCUMENTS, PgMovementStore, SAMPLE_PER_HEAD, WALK_PER_HEAD } from './pg-movement-store';
import { PgProductDetailsStore } from './pg-product-details-store';
import { PgStockBalanceStore } from './pg-stock-balance-store';

/**
 * PostgreSQL's plans for the Enquiry window's statements at a realistic size (100,000 movements over 400 products, two
 * sites, 1,000 lots and nearly three years; skewed additions: old batches, a busy bin and a seldom used one): a
 * question narrowed to a product, a site, a bin, a batch or a few days is answered from the enquiry's indexes (pg
 * migrations 0004 and 0005's bin index), never by reading the whole movements table. Each store statement is run
 * through a reader that first asks EXPLAIN for it with the same values.
 */
let cluster: TestCluster;
let pgf: PgFixture;
const MOVEMENTS = 100_000;
const DAY = 86_400_000;
const t0 = Date.parse('2024-01-01T00:00:00Z');
const OLD_BATCHES = 300;
const RARE_BIN_MOVEMENTS = 400;
/** More than a page holds, and than the 2,000 the store once read batch by batch (past them it walked the time index). */
const AGED_BATCHES = 2_500;
/** Documents in each broad document set (PO-…, ARCH-…): more than the store resolves to ids. */
const BROAD_SET = BROAD_DOCUMENTS + 200;
let firstProduct = 0;
let firstBatch = 0;

beforeAll(async () => {
  cluster = await startTestCluster();
  pgf = await openPgFixture(cluster);
  const { wh, shop, lot, admin, bulk, binA, binB } = pgf.ids;
  const q = (text: string, values: unknown[] = []) => pgf.pool.query(text, values);
  firstProduct = (await q(`INSERT INTO products (sku, name, stock_type, created_at) SELECT 'P-' || g, 'Product ' || g, 'Supplied', 0 FROM generate_series(1, 400) g RETURNING id`)).rows[0].id as number;
  firstBatch = (await q(`INSERT INTO batches (id, product_id, code, expiry, created_at) SELECT g, $1, 'B' || g, '2027-01-01', 0 FROM generate_series(1, 1000) g RETURNING id`, [lot])).rows[0].id as number;
  const doc = (await q(`INSERT INTO documents (id, type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash) VALUES (1, 'receipt', $1, 0, 0, 'plans', '') RETURNING id`, [admin])).rows[0].id as number;
  // Synthetic rows (no hash chain: this database only answers EXPLAIN): every fifth a lot's, the rest over 400 products.
  await q(
    `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, batch_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
     SELECT g, $1::int, g, CASE WHEN g % 5 = 0 THEN $2::int ELSE $3::int + g % 400 END, CASE WHEN g % 3 = 0 THEN $4::int ELSE $5::int END,
            CASE WHEN g % 5 = 0 THEN $6::int + g % 1000 END, CASE WHEN g % 2 = 0 THEN 'sale' ELSE 'supplier_order' END,
            CASE WHEN g % 2 = 0 THEN -1 ELSE 2 END, 0, $7::bigint + g * 600000::bigint, $7::bigint + g * 600000::bigint, $8::int, 1000, 'supplier', '', ''
     FROM generate_series(1, $9::int) g`,
    [doc, lot, firstProduct, shop, wh, firstBatch, t0, admin, MOVEMENTS],
  );
  // Skewed: 300 batches expiring on their own day, whose 6,000 movements all occurred in the ledger's first 28 days and
  // were all recorded (a backfill) on its 31st day.
  const oldBatch = (await q(`INSERT INTO batches (id, product_id, code, expiry, created_at) SELECT 1000 + g, $1, 'OLD' || g, '2025-03-01', 0 FROM generate_series(1, $2::int) g RETURNING id`, [lot, OLD_BATCHES])).rows[0].id as number;
  await q(
    `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, batch_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
     SELECT $9::int + g, $1::int, $9::int + g, $2::int, $3::int, $4::int + g % $5::int, 'sale', -1, 0, $6::bigint + g * 400000::bigint, $6::bigint + 30 * 86400000::bigint + g * 1000, $7::int, 1000, 'supplier', '', ''
     FROM generate_series(1, $8::int) g`,
    [doc, lot, shop, oldBatch, OLD_BATCHES, t0, admin, OLD_BATCHES * 20, MOVEMENTS],
  );
  // Skewed bins at the warehouse that holds most movements: a busy one (A-01, 20,000 movements over the whole ledger)
  // and one seldom used (B-01), whose 400 movements all occurred in the ledger's first nine days.
  await q(
    `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, bin_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
     SELECT $1::int + g, $2::int, $1::int + g, $3::int, $4::int, CASE WHEN g <= $5::int THEN $6::int ELSE $7::int END, 'sale', -1, 0, t.at, t.at, $9::int, 1000, 'supplier', '', ''
     FROM generate_series(1, $5::int + 20000) g
     CROSS JOIN LATERAL (SELECT CASE WHEN g <= $5::int THEN $8::bigint + g * 2000000::bigint ELSE $8::bigint + (g - $5::int) * 3000000::bigint END AS at) t`,
    [MOVEMENTS + OLD_BATCHES * 20, doc, bulk, wh, RARE_BIN_MOVEMENTS, binB, binA, t0, admin],
  );
  // Skewed: thousands of batches expiring on one day (AGED…), two movements each, all in the ledger's first
  // four days (recorded as they occurred).
  const agedBatch = (await q(`INSERT INTO batches (id, product_id, code, expiry, created_at) SELECT 2000 + g, $1, 'AGED' || g, '2025-04-01', 0 FROM generate_series(1, $2::int) g RETURNING id`, [lot, AGED_BATCHES])).rows[0].id as number;
  await q(
    `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, batch_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
     SELECT $1::int + g, $2::int, $1::int + g, $3::int, CASE WHEN g % 2 = 0 THEN $4::int ELSE $5::int END, $6::int + g % $7::int, 'sale', -1, 0, $8::bigint + g * 60000::bigint, $8::bigint + g * 60000::bigint, $9::int, 1000, 'supplier', '', ''
     FROM generate_series(1, $7::int * 2) g`,
    [MOVEMENTS + OLD_BATCHES * 20 + RARE_BIN_MOVEMENTS + 20000, doc, lot, shop, wh, agedBatch, AGED_BATCHES, t0, admin],
  );
  // Two broad document sets (more than BROAD_DOCUMENTS each, two movements a document, at the document's time): PO-…
  // among the newest movements (within the newest 3,600 of the rest), ARCH-… before every other movement.
  const docSeq = MOVEMENTS + OLD_BATCHES * 20 + RARE_BIN_MOVEMENTS + 20000 + AGED_BATCHES * 2;
  const sets = [['PO-', '$3::bigint + ($4::int - 3 * g) * 600000::bigint + 1', MOVEMENTS], ['ARCH-', '$3::bigint + g * $4::int', 100]] as const;
  for (const [i, [prefix, at, n]] of sets.entries()) {
    const first = 10 + i * BROAD_SET;
    await q(
      `INSERT INTO documents (id, type, reference, user_id, occurred_at, recorded_at, idempotency_key, payload_hash)
       SELECT $1::int + g, 'receipt', $2 || g, $5::int, ${at}, ${at}, $2 || g, '' FROM generate_series(1, $6::int) g`,
      [first, prefix, t0, n, admin, BROAD_SET],
    );
    await q(
      `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
       SELECT $1::int + 2 * d.id + l, d.id, l, $2::int, $3::int, 'supplier_order', 1, 0, d.occurred_at, d.occurred_at, $4::int, 1000, 'supplier', '', ''
       FROM documents d CROSS JOIN generate_series(1, 2) l WHERE d.id > $5::int AND d.id <= $5::int + $6::int`,
      [docSeq, bulk, wh, admin, first, BROAD_SET],
    );
  }
  await q('ANALYZE');
}, 240_000);

afterAll(async () => {
  await pgf?.close();
  cluster?.stop();
});

describe('the Enquiry window\'s plans on PostgreSQL', () => {
  it('reads a product\'s, a batch\'s, a site\'s or a few days\' movements from an index, not the whole table', async () => {
    const { reader, plans } = planned(pgf.pool);
    const product = firstProduct + 17;
    const week = { from: t0 + 400 * DAY, to: t0 + 407 * DAY };
    expect((await new PgProductDetailsStore(reader).movements(product)).length).toBe(MOVEMENTS / 400); // g ≡ 17 (mod 400) is never a multiple of 5
    expect((await new PgBatchJourneyStore(reader).movements(firstBatch + 10)).length).toBe(MOVEMENTS / 1000);
    const balance = new PgStockBalanceStore(reader);
    await balance.periodMoved({ ...week, productId: product });
    await balance.periodMoved({ ...week, productId: product, siteId: pgf.ids.wh });
    await balance.periodMoved(week);
    const movements = new PgMovementStore(reader);
    const none = { searchProducts: null, searchBatches: null, expiryBatches: null };
    expect(await movements.count({ productId: product, siteId: pgf.ids.shop }, none, 100_001)).toBeGreaterThan(0);
    await movements.countSlice({ productId: product }, none, 1, 50_000);
    const dashboard = new PgDashboardStore(reader);
    // The dashboard's days are the last ones (up to now): its net value reads every day after the first.
    const last = t0 + MOVEMENTS * 600_000;
    const span = { zone: 'Pacific/Auckland', firstDay: Math.floor(last / DAY) - 6, lastDay: Math.floor(last / DAY), from: last - 7 * DAY, to: last };
    await dashboard.dayTypeCounts(span);
    await dashboard.netValueByDay(span);
    await dashboard.topMovers(span, 10);
    expect(plans).toHaveLength(10);
    for (const plan of plans) expect(plan).not.toMatch(/Seq Scan on movements/);
    expect(plans.join('\n')).toMatch(/IDX_movements_product_occurred|IDX_movements_product_site_occurred/);
  });

  /** The first page's plan and rows (seq) of `filter`, newest and oldest first, with the rows a plain sort of every match gives. */
  async function firstPages(filter: MovementFilter, matches: string, values: unknown[]) {
    const query = await PgMovementQuery.open(new PgMovementStore(pgf.pool), filter);
    const out: { order: 'desc' | 'asc'; plan: string; seqs: number[]; expected: number[] }[] = [];
    for (const order of ['desc', 'asc'] as const) {
      const plan = (await query.explain(order, 100)).join('\n');
      const seqs = (await query.page(order, 100, 'UTC', undefined, undefined, { balanceOnDate: false })).rows.map((r) => r.seq);
      const dir = order === 'desc' ? 'DESC' : 'ASC';
      const expected = (await pgf.pool.query<{ seq: number }>(`SELECT seq FROM movements WHERE ${matches} ORDER BY occurred_at ${dir}, seq ${dir} LIMIT 100`, values)).rows.map((r) => r.seq);
      out.push({ order, plan, seqs, expected });
    }
    return out;
  }

  it('reads old batches\' movements (an expiry range, a batch code prefix) batch by batch, not by walking the newest movements', async () => {
    const old = (await pgf.pool.query<{ id: number }>(`SELECT id FROM batches WHERE code LIKE 'OLD%'`)).rows.map((r) => r.id);
    for (const filter of [{ expiry: { from: '2025-03-01', to: '2025-03-31' } }, { search: 'old' }, { expiry: { from: '2025-03-01', to: '2025-03-01' }, siteId: pgf.ids.shop }]) {
      for (const { order, plan, seqs, expected } of await firstPages(filter, 'batch_id = ANY($1::int[])', [old])) {
        // Oldest first, the set alone is found among the oldest batched movements (its walk, bounded by its heads' cost).
        expect(plan).toMatch(order === 'desc' || filter.siteId ? /IDX_movements_batch_occurred/ : /IDX_movements_batched?_occurred/);
        expect(plan).not.toMatch(/IDX_movements_occurred\b/);
        expect(seqs).toHaveLength(100);
        expect(seqs).toEqual(expected);
      }
    }
  });

  it('reads recent batches\' movements (an expiry range alone) by walking the batched movements in time order from the index alone, not batch by batch', async () => {
    const lots = (await pgf.pool.query<{ id: number }>(`SELECT id FROM batches WHERE expiry = '2027-01-01'`)).rows.map((r) => r.id);
    expect(lots).toHaveLength(1_000);
    const filter = { expiry: { from: '2027-01-01', to: '2027-01-01' } };
    for (const { plan, seqs, expected } of await firstPages(filter, 'batch_id = ANY($1::int[])', [lots])) {
      expect(plan).toMatch(/Index Only Scan (Backward )?using "IDX_movements_batched_occurred"/);
      expect(plan).not.toMatch(/IDX_movements_batch_occurred|IDX_movements_occurred\b|Seq Scan on movements/);
      expect(seqs).toHaveLength(100);
      expect(seqs).toEqual(expected);
    }
    for (const { seqs, expected } of await everyPage(filter, 700, 'batch_id = ANY($1::int[])', [lots])) expect(seqs).toEqual(expected);
  });

  it('reads a day recorded long ago (a backfill) through the recorded index, not by walking the newest movements', async () => {
    const day = { from: t0 + 30 * DAY, to: t0 + 31 * DAY - 1 };
    for (const filter of [{ recorded: day }, { recorded: day, siteId: pgf.ids.wh }]) {
      const site = filter.siteId === undefined ? '' : ` AND site_id = ${filter.siteId}`;
      for (const { plan, seqs, expected } of await firstPages(filter, `recorded_at BETWEEN $1 AND $2${site}`, [day.from, day.to])) {
        expect(plan).toMatch(/IDX_movements_recorded/);
        expect(plan).not.toMatch(/IDX_movements_occurred\b/);
        expect(seqs.length).toBeGreaterThan(0);
        expect(seqs).toEqual(expected);
      }
    }
  });

  it('reads a seldom used bin\'s movements from its own index, not by walking its site\'s or every movement', async () => {
    const { wh, binB, bulk } = pgf.ids;
    for (const filter of [{ binId: binB }, { siteId: wh, binId: binB }, { productId: bulk, binId: binB }]) {
      for (const { plan, seqs, expected } of await firstPages(filter, 'bin_id = $1', [binB])) {
        expect(plan).toMatch(/IDX_movements_bin_occurred/);
        expect(plan).not.toMatch(/IDX_movements_occurred\b|Seq Scan on movements/);
        expect(seqs).toHaveLength(100);
        expect(seqs).toEqual(expected);
      }
    }
  });

  /** Every page of `filter` in both orders, `limit` rows a page, with every match a plain sort gives (`matches` on `values`). */
  async function everyPage(filter: MovementFilter, limit: number, matches: string, values: unknown[]) {
    const query = await PgMovementQuery.open(new PgMovementStore(pgf.pool), filter);
    const out: { seqs: number[]; expected: number[] }[] = [];
    for (const order of ['desc', 'asc'] as const) {
      const dir = order === 'desc' ? 'DESC' : 'ASC';
      const expected = (await pgf.pool.query<{ seq: number }>(`SELECT seq FROM movements WHERE ${matches} ORDER BY occurred_at ${dir}, seq ${dir}`, values)).rows.map((r) => r.seq);
      const seqs: number[] = [];
      let page = await query.page(order, limit, 'UTC', undefined, undefined, { balanceOnDate: false });
      for (;;) {
        seqs.push(...page.rows.map((r) => r.seq));
        if (!page.next) break;
        page = await query.page(order, limit, 'UTC', page.next, undefined, { balanceOnDate: false });
      }
      out.push({ seqs, expected });
    }
    return out;
  }

  it('pages through the old batches\' movements, both orders, as a plain sort of every match (per-batch reads and nearest-movement probes alike)', async () => {
    const old = (await pgf.pool.query<{ id: number }>(`SELECT id FROM batches WHERE code LIKE 'OLD%'`)).rows.map((r) => r.id);
    for (const { seqs, expected } of await everyPage({ expiry: { from: '2025-03-01', to: '2025-03-01' } }, 500, 'batch_id = ANY($1::int[])', [old])) expect(seqs).toEqual(expected);
  });

  it('reads more batches than a page holds (an expiry range of thousands of old batches) from their newest movements first, as a plain sort of every match', async () => {
    const aged = (await pgf.pool.query<{ id: number }>(`SELECT id FROM batches WHERE code LIKE 'AGED%'`)).rows.map((r) => r.id);
    expect(aged).toHaveLength(AGED_BATCHES);
    const day = { expiry: { from: '2025-04-01', to: '2025-04-01' } };
    for (const [filter, matches] of [[day, ''], [{ ...day, siteId: pgf.ids.shop }, ` AND site_id = ${pgf.ids.shop}`]] as const) {
      for (const { order, plan, seqs, expected } of await firstPages(filter, `batch_id = ANY($1::int[])${matches}`, [aged])) {
        // Alone, newest first, its sample of the newest batched movements finds none of its movements: read per batch;
        // oldest first, its sample of the oldest holds the page.
        expect(plan).toMatch(order === 'desc' || matches ? /IDX_movements_batch_occurred/ : /IDX_movements_batched_occurred/);
        expect(plan).not.toMatch(/IDX_movements_occurred\b|Seq Scan on movements/);
        expect(seqs).toHaveLength(100);
        expect(seqs).toEqual(expected);
      }
      for (const { seqs, expected } of await everyPage(filter, 700, `batch_id = ANY($1::int[])${matches}`, [aged])) expect(seqs).toEqual(expected);
    }
    // With the 1,000 lots of 2027 too, their receipts at the shop: a few matches among the newest movements (the probe
    // finds some, and the time walk is chosen when it reads less than the set's 3,500 heads), none among the oldest.
    const lots = (await pgf.pool.query<{ id: number }>(`SELECT id FROM batches WHERE expiry BETWEEN '2025-04-01' AND '2027-01-01'`)).rows.map((r) => r.id);
    const sparse = { expiry: { from: '2025-04-01', to: '2027-01-01' }, siteId: pgf.ids.shop, types: ['supplier_order' as const] };
    const matches = `batch_id = ANY($1::int[]) AND site_id = ${pgf.ids.shop} AND type = 'supplier_order'`;
    for (const { seqs, expected } of await everyPage(sparse, 100, matches, [lots])) {
      expect(seqs.length).toBeGreaterThan(1_000);
      expect(seqs).toEqual(expected);
    }
  });

  /** A reader on the fixture's pool that keeps each statement it sends (its text, values and name when prepared). */
  function recording() {
    const statements: { text: string; values: unknown[]; name?: string | undefined }[] = [];
    const reader = {
      query(config: string | pg.QueryConfig, values?: unknown[]) {
        statements.push(typeof config === 'string' ? { text: config, values: values ?? [] } : { text: config.text, values: config.values ?? [], name: config.name });
        return pgf.pool.query(config as string, values);
      },
    } as unknown as PgReader;
    return { statements, reader };
  }

  /**
   * The newest first page of a batch set alone (`filter`), with the statements it ran: how many entries each walk of the
   * batched movements was allowed (its window's LIMIT, the first value bound: no cursor), and whether the set was read
   * per batch (its ids unnested, each batch's movements read by a lateral join).
   */
  async function newestPageOf(filter: MovementFilter, set: number[]) {
    const { statements, reader } = recording();
    const query = await PgMovementQuery.open(new PgMovementStore(reader), filter);
    const seqs = (await query.page('desc', 100, 'UTC', undefined, undefined, { balanceOnDate: false })).rows.map((r) => r.seq);
    const expected = (await pgf.pool.query<{ seq: number }>('SELECT seq FROM movements WHERE batch_id = ANY($1::int[]) ORDER BY occurred_at DESC, seq DESC LIMIT 100', [set])).rows.map((r) => r.seq);
    const walks = statements.filter((s) => s.text.includes('m.batch_id IS NOT NULL')).map((s) => s.values[0]);
    return { seqs, expected, walks, perBatch: statements.some((s) => s.text.includes('CROSS JOIN LATERAL')) };
  }

  it('reads an old batch set alone per batch after a sample of the newest batched movements, not after walking as far as its heads would cost', async () => {
    for (const [code, size] of [['OLD', OLD_BATCHES], ['AGED', AGED_BATCHES]] as const) {
      const set = (await pgf.pool.query<{ id: number; expiry: string }>(`SELECT id, expiry FROM batches WHERE code LIKE '${code}%'`)).rows;
      expect(set).toHaveLength(size);
      const expiry = set[0]!.expiry;
      const { seqs, expected, walks, perBatch } = await newestPageOf({ expiry: { from: expiry, to: expiry } }, set.map((r) => r.id));
      // The sample (SAMPLE_PER_HEAD entries a batch) finds none of the set's movements (the ledger's oldest): per batch at once.
      expect(walks).toEqual([SAMPLE_PER_HEAD * size]);
      expect(SAMPLE_PER_HEAD).toBeLessThan(WALK_PER_HEAD);
      expect(perBatch).toBe(true);
      expect(seqs).toHaveLength(100);
      expect(seqs).toEqual(expected);
    }
  });

  it('walks on past its sample when the sample puts a batch set\'s page within its heads\' cost (a batch code prefix alone), not batch by batch', async () => {
    // 112 batches B1, B10…B19, B100…B199, B1000; 23 of them have movements, spread over the ledger's whole time: the
    // sample of 448 entries holds about half a page.
    const set = (await pgf.pool.query<{ id: number }>(`SELECT id FROM batches WHERE code LIKE 'B1%'`)).rows.map((r) => r.id);
    expect(set).toHaveLength(112);
    const { seqs, expected, walks, perBatch } = await newestPageOf({ search: 'b1' }, set);
    expect(walks).toEqual([SAMPLE_PER_HEAD * set.length, WALK_PER_HEAD * set.length]);
    expect(perBatch).toBe(false);
    expect(seqs).toHaveLength(100);
    expect(seqs).toEqual(expected);
    const [, oldest] = await firstPages({ search: 'b1' }, 'batch_id = ANY($1::int[])', [set]);
    expect(oldest!.seqs).toEqual(oldest!.expected);
  });
  it('names a broad document set (a reference prefix of more documents than BROAD_DOCUMENTS) by the search, walking the newest movements, and resolves it to ids only when they do not hold the page', async () => {
    const { statements, reader } = recording();
    const matches = `document_id IN (SELECT id FROM documents WHERE reference LIKE $1)`;
    for (const [search, pattern] of [['po-', 'PO-%'], ['Arch-', 'ARCH-%']] as const) {
      for (const order of ['desc', 'asc'] as const) {
        statements.length = 0;
        const query = await PgMovementQuery.open(new PgMovementStore(reader), { search });
        const seqs = (await query.page(order, 100, 'UTC', undefined, undefined, { balanceOnDate: false })).rows.map((r) => r.seq);
        const dir = order === 'desc' ? 'DESC' : 'ASC';
        const expected = (await pgf.pool.query<{ seq: number }>(`SELECT seq FROM movements WHERE ${matches} ORDER BY occurred_at ${dir}, seq ${dir} LIMIT 100`, [pattern])).rows.map((r) => r.seq);
        expect(seqs).toHaveLength(100);
        expect(seqs).toEqual(expected);
        // Never more than BROAD_DOCUMENTS + 1 ids read to resolve the search; the whole set's ids only when the movements
        // nearest the cursor do not hold the page (the newest for the recent PO-… newest first, the oldest for ARCH-…).
        const resolvedAll = statements.some((s) => s.text.includes('ORDER BY id) AS ids'));
        expect(resolvedAll).toBe((search === 'po-') !== (order === 'desc'));
        // Ids bound by the statements finding the page's keys (the details' statement, named, binds the page's keys).
        const bound = statements.filter((s) => !s.name).flatMap((s) => s.values).filter((v) => Array.isArray(v)).map((v) => (v as unknown[]).length);
        if (!resolvedAll) expect(Math.max(0, ...bound)).toBe(0);
        if (!resolvedAll) expect(statements.some((s) => s.text.includes('m.document_id IN (SELECT id FROM documents WHERE'))).toBe(true);
        // Paged on, then back: the first page again.
        const again = await PgMovementQuery.open(new PgMovementStore(pgf.pool), { search });
        const first = await again.page(order, 100, 'UTC', undefined, undefined, { balanceOnDate: false });
        const second = await again.page(order, 100, 'UTC', first.next!, undefined, { balanceOnDate: false });
        expect(second.rows).toHaveLength(100);
        const back = await again.page(order, 100, 'UTC', undefined, second.prev!, { balanceOnDate: false });
        expect(back.rows.map((r) => r.seq)).toEqual(seqs);
      }
      for (const { seqs, expected } of await everyPage({ search }, 500, matches, [pattern])) {
        expect(seqs).toHaveLength(2 * BROAD_SET);
        expect(seqs).toEqual(expected);
      }
      // Counted by ids (no index serves the search's subplans: the count would read the whole table), whole and by slices.
      statements.length = 0;
      const counted = await PgMovementQuery.open(new PgMovementStore(reader), { search });
      expect(await counted.count(100_000, () => Promise.resolve(0))).toEqual({ count: 2 * BROAD_SET, exact: true });
      expect(statements.some((s) => s.text.includes('ORDER BY id) AS ids'))).toBe(true);
      const sliced = await PgMovementQuery.open(new PgMovementStore(pgf.pool), { search });
      const top = (await pgf.pool.query<{ n: number }>('SELECT MAX(seq) AS n FROM movements')).rows[0]!.n;
      expect((await sliced.countSlice(1, Math.floor(top / 2))) + (await sliced.countSlice(Math.floor(top / 2) + 1, top))).toBe(2 * BROAD_SET);
    }
    // Named with a product: that product's index walked, the set's subplans checked row by row, both orders.
    for (const { plan, seqs, expected } of await firstPages({ search: 'po-', productId: pgf.ids.bulk }, `${matches} AND product_id = $2`, ['PO-%', pgf.ids.bulk])) {
      expect(plan).toMatch(/IDX_movements_product\w*occurred/);
      expect(plan).toMatch(/hashed SubPlan/);
      expect(seqs).toHaveLength(100);
      expect(seqs).toEqual(expected);
    }
    // The recent set's newest page walks the time index with the set as a hashed subplan, from the newest movements.
    const [newest] = await firstPages({ search: 'po-' }, matches, ['PO-%']);
    expect(newest!.plan).toMatch(/IDX_movements_occurred/);
    expect(newest!.plan).toMatch(/hashed SubPlan/);
    expect(newest!.seqs).toEqual(newest!.expected);
  });
});
