import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyUpdateSchema } from '../../shared/contract/company.schemas';
import { callBoth } from '../../test/fixtures/both-stores';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { migratePg } from '../ledger/pg/pg-data-source';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { openPool } from '../ledger/pg/pg-types';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { createWorkerContext } from '../ledger/worker-context';
import type { Caller } from '../ledger/caller';
import { companyOps, type CompanyOps } from './company.ops';
import { companyPgOps } from './company.pg-ops';

type PgCompany = Pick<PgLedgerOps, keyof CompanyOps>;

const T = Date.UTC(2026, 11, 3, 9);
let cluster: TestCluster;
let f: Fixture;
let p: PgFixture;
let sqlite: CompanyOps;
let pg: PgCompany;

const pgOps = (pool: PgFixture['pool'], connection: PgFixture['connection']) => companyPgOps(createPgWorkerContext(pool, connection, () => undefined, () => T)) as PgCompany;

beforeAll(async () => {
  cluster = await startTestCluster();
  [f, p] = await Promise.all([openFixture(), openPgFixture(cluster)]);
  sqlite = companyOps(createWorkerContext(f.ledger, () => undefined), () => T);
  pg = pgOps(p.pool, p.connection);
});
afterAll(async () => {
  await f?.cleanup();
  await p?.close();
  cluster?.stop();
});

const caller = (): Caller => ({ userId: f.ids.admin, username: 'admin', permissions: [] });
const input = (over: Record<string, unknown> = {}) =>
  companyUpdateSchema.parse({ name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 4, ...over });

describe('company settings: the same answers from SQLite and PostgreSQL', () => {
  it('answers the machine defaults until saved, with the assistant closed on a ledger that holds data', async () => {
    const r = await callBoth(() => sqlite['company.get'](), () => pg['company.get']());
    expect(r.pg).toEqual(r.sqlite);
    expect(r.pg).toMatchObject({ answer: { saved: false, setup: { open: false, step: 'done' }, currencyLocked: null } });
  });

  it('refuses the same bad settings with the same field, code and message, and saves nothing', async () => {
    for (const bad of [{ currency: 'XYZ' }, { timeZone: 'Mars/Olympus' }, { locale: 'not a tag!' }, { fyStartMonth: 13 }]) {
      const r = await callBoth(() => sqlite['company.update'](input(bad), caller()), () => pg['company.update'](input(bad), caller()));
      expect(r.pg, JSON.stringify(bad)).toEqual(r.sqlite);
      expect(r.pg).toMatchObject({ refused: { code: 'VALIDATION' } });
    }
    expect((await pg['company.get']()).saved).toBe(false);
  });

  it('saves settings in canonical form with one audit entry, and moves the assistant', async () => {
    const r = await callBoth(() => sqlite['company.update'](input({ currency: 'eur', setupStep: 'site' }), caller()), () => pg['company.update'](input({ currency: 'eur', setupStep: 'site' }), caller()));
    expect(r.pg).toEqual(r.sqlite);
    expect(r.pg).toMatchObject({ answer: { saved: true, settings: { currency: 'EUR' }, setup: { open: true, step: 'site' } } });
    // The same settings again change nothing and write no second entry.
    await sqlite['company.update'](input({ currency: 'EUR' }), caller());
    await pg['company.update'](input({ currency: 'EUR' }), caller());
    const entries = await p.pool.query<{ action: string; username: string; detail: string }>("SELECT action, username, detail FROM audit_log WHERE action = 'master-data-changed'");
    expect(entries.rows).toHaveLength(1);
    expect(entries.rows[0]).toMatchObject({ username: 'admin' });
    expect(JSON.parse(entries.rows[0]!.detail)).toMatchObject({ record: 'company', before: null, after: { currency: 'EUR', name: 'Harbour Kitchen Ltd' } });
    const step = await callBoth(() => sqlite['company.setupStep']({ step: 'done' }), () => pg['company.setupStep']({ step: 'done' }));
    expect(step.pg).toEqual(step.sqlite);
    expect(step.pg).toMatchObject({ answer: { setup: { open: false, step: 'done' } } });
  });

  it('locks the base currency once a movement carries a value in it, with the same refusal', async () => {
    const line = { productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt' as const, qty: 1_000, unitCost: 2_5000 };
    f.ledger.poster.postMany([f.doc('receipt', [line])], f.ids.admin);
    await p.store.post({ idempotencyKey: 'valued-1', type: 'receipt', lines: [{ ...line, productId: p.ids.bulk, siteId: p.ids.wh }] }, p.ids.admin);
    const r = await callBoth(() => sqlite['company.update'](input({ currency: 'USD' }), caller()), () => pg['company.update'](input({ currency: 'USD' }), caller()));
    expect(r.pg).toEqual(r.sqlite);
    expect(r.pg).toMatchObject({ refused: { code: 'CONFLICT', details: { field: 'currency' } } });
    const got = await callBoth(() => sqlite['company.get'](), () => pg['company.get']());
    expect(got.pg).toEqual(got.sqlite);
    expect(got.pg).toMatchObject({ answer: { settings: { currency: 'EUR' }, currencyLocked: expect.stringContaining('EUR') as unknown } });
  });

  it('opens the assistant on a new, empty ledger on both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-company-pg-'));
    const ledger = await SqliteLedger.open(join(dir, 'ledger.db'));
    const connection = cluster.createDatabase(`company_new_${process.pid}`);
    await migratePg(connection);
    const pool = openPool(connection);
    try {
      const fresh = companyOps(createWorkerContext(ledger, () => undefined), () => T);
      const freshPg = pgOps(pool, connection);
      const r = await callBoth(() => fresh['company.get'](), () => freshPg['company.get']());
      expect(r.pg).toEqual(r.sqlite);
      expect(r.pg).toMatchObject({ answer: { setup: { open: true, step: 'company' } } });
    } finally {
      await pool.end();
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
