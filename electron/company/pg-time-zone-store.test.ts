import { describe, expect, it } from 'vitest';
import type { CompanySettings } from '../../shared/company';
import { pgLedgerForFile } from '../../test/fixtures/pg-ledger';
import type { PgFixture } from '../../test/fixtures/pg-ledger';
import { PgMasterStore } from '../masterdata/pg-master-store';
import { emptyFacts, noNeed } from '../operations/ops-snapshot';
import { PgDraftStore } from '../operations/pg-draft-store';
import { PgOpsStore } from '../operations/pg-ops-store';
import { PgPostingStore } from '../posting/pg-posting-store';
import { machineDefaults } from './company-rules';
import { COMPANY_KEY } from './company-store';
import { dateTimeFor } from './company-time';
import { PgCompanyStore } from './pg-company-store';

/**
 * Every PostgreSQL store that needs the company's settings (its time zone, its format) reads them one way
 * (pg-time-zone-store.ts), as SQLite's CompanyStore does: the saved settings; none until saved; none while the row
 * cannot be read as JSON (the machine's time zone and format then, never an error).
 */
let f: PgFixture;
pgLedgerForFile((x) => (f = x));

const AT = Date.UTC(2026, 8, 30, 23, 30);
const saved: CompanySettings = { name: 'Soho Bar Ltd', currency: 'GBP', timeZone: 'Pacific/Auckland', locale: 'en-NZ', fyStartMonth: 4 };

/** What each store answers, read inside one transaction (the drafts', the operations' and the company's stores need one). */
async function answers() {
  const c = await f.pool.connect();
  try {
    await c.query('BEGIN');
    const facts = emptyFacts();
    await new PgOpsStore().read(c, { ...noNeed(), company: true }, facts);
    return {
      postingZone: await new PgPostingStore(f.pool).timeZone(),
      operationsCompany: facts.company,
      draftsTime: await new PgDraftStore(c).companyTime(AT),
      masterDataTime: await new PgMasterStore(f.pool).companyTime(AT),
      companySettings: await new PgCompanyStore(c).settings(),
    };
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
}

describe('the company settings on PostgreSQL', () => {
  it.each([
    ['not saved yet', null, null],
    ['saved', JSON.stringify(saved), saved],
    ['unreadable (not JSON)', '{"timeZone": "Pacific/Auck', null],
  ])('are read alike by every store when %s', async (_name, value, settings) => {
    await f.pool.query('DELETE FROM settings WHERE key = $1', [COMPANY_KEY]);
    if (value !== null) await f.pool.query('INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, 0)', [COMPANY_KEY, value]);
    expect(await answers()).toEqual({
      postingZone: settings?.timeZone ?? machineDefaults().timeZone,
      operationsCompany: settings,
      draftsTime: dateTimeFor(AT, settings),
      masterDataTime: dateTimeFor(AT, settings),
      companySettings: settings,
    });
  });
});
