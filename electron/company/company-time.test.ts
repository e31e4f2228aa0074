import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompanySettings } from '../../shared/company';
import { openFixture } from '../../test/fixtures/ledger';
import { openPgFixture } from '../../test/fixtures/pg-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { MasterStore } from '../masterdata/master-store';
import { PgMasterStore } from '../masterdata/pg-master-store';
import { SqliteMasterRecords } from '../masterdata/sqlite-master-store';
import { AdjustmentDraftStore } from '../operations/adjustment-draft-store';
import { emptyFacts, noNeed } from '../operations/ops-snapshot';
import { OpsStore } from '../operations/ops-store';
import { PgDraftStore } from '../operations/pg-draft-store';
import { PgOpsStore } from '../operations/pg-ops-store';
import { PgPostingStore } from '../posting/pg-posting-store';
import { PostingStore } from '../posting/posting-store';
import { machineDefaults } from './company-rules';
import { COMPANY_KEY, CompanyStore } from './company-store';
import { companyDateTime, dateTimeFor } from './company-time';
import { PgCompanyStore } from './pg-company-store';
import { pgCompanyDateTime } from './pg-time-zone-store';

/**
 * The company's settings (its time zone, its format) as the stores of the configured store read them
 * (test/fixtures/store-under-test.ts: SQLite by default, PostgreSQL in `npm run test:unit:pg`). Every store that needs
 * them reads them one way: the saved settings; none until saved; none while the row cannot be read as JSON (the
 * machine's time zone and format then, never an error). An instant is shown in the company's format and time zone.
 */
const cluster = clusterForConfiguredStore();

/** The settings row and what each store of one ledger answers from it. */
interface CompanyReads {
  /** Saves the settings as the company's store does (company.update's write). */
  save(settings: CompanySettings, at: number): Promise<void>;
  /** Puts this value in the company's settings row as it is (null: no row). */
  setRow(value: string | null): Promise<void>;
  /** An instant as messages show it (companyDateTime, or its PostgreSQL twin pgCompanyDateTime). */
  dateTime(at: number): Promise<string>;
  /** What each store that needs the settings answers, read at once (in one transaction on PostgreSQL). */
  answers(at: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function openCompanyReads(): Promise<CompanyReads> {
  if (STORE_UNDER_TEST === 'sqlite') {
    const f = await openFixture();
    const db = f.ledger.db;
    return {
      save: async (settings, at) => new CompanyStore(db).saveSettings(settings, at),
      setRow: async (value) => {
        db.prepare('DELETE FROM settings WHERE key = ?').run(COMPANY_KEY);
        if (value !== null) db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run(COMPANY_KEY, value);
      },
      dateTime: async (at) => companyDateTime(db, at),
      answers: async (at) => ({
        postingZone: new PostingStore(db).timeZone(),
        // SQLite's operations store shows times itself (its settings: CompanyStore's, below)
        operationsTime: new OpsStore(db).dateTime(at),
        draftsTime: new AdjustmentDraftStore(db, new OpsStore(db)).companyTime(at),
        masterDataTime: await new SqliteMasterRecords(new MasterStore(db)).companyTime(at),
        companySettings: new CompanyStore(db).settings(),
      }),
      close: () => f.cleanup(),
    };
  }
  const f = await openPgFixture(cluster()!);
  return {
    save: async (settings, at) => {
      const c = await f.pool.connect();
      try {
        await new PgCompanyStore(c).saveSettings(settings, at);
      } finally {
        c.release();
      }
    },
    setRow: async (value) => {
      await f.pool.query('DELETE FROM settings WHERE key = $1', [COMPANY_KEY]);
      if (value !== null) await f.pool.query('INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, 0)', [COMPANY_KEY, value]);
    },
    dateTime: (at) => pgCompanyDateTime(f.pool, at),
    // read inside one transaction (the drafts', the operations' and the company's stores need one)
    answers: async (at) => {
      const c = await f.pool.connect();
      try {
        await c.query('BEGIN');
        const facts = emptyFacts();
        await new PgOpsStore(c).read({ ...noNeed(), company: true }, facts);
        return {
          postingZone: await new PgPostingStore(f.pool).timeZone(),
          operationsCompany: facts.company,
          draftsTime: await new PgDraftStore(c).companyTime(at),
          masterDataTime: await new PgMasterStore(f.pool).companyTime(at),
          companySettings: await new PgCompanyStore(c).settings(),
        };
      } finally {
        await c.query('ROLLBACK');
        c.release();
      }
    },
    close: f.close,
  };
}

let company: CompanyReads;
beforeEach(async () => {
  company = await openCompanyReads();
});
afterEach(() => company.close());

describe('companyDateTime', () => {
  it("shows an instant in the company's locale and time zone, never as ISO", async () => {
    const at = Date.UTC(2026, 8, 30, 17, 0);
    await company.save({ ...machineDefaults(), timeZone: 'Europe/London', locale: 'en-GB' }, at);
    expect(await company.dateTime(at)).toBe('30/09/2026, 18:00');
    await company.save({ ...machineDefaults(), timeZone: 'America/New_York', locale: 'en-US' }, at);
    expect(await company.dateTime(at)).toBe('09/30/2026, 01:00 PM');
  });
});

const AT = Date.UTC(2026, 8, 30, 23, 30);
const saved: CompanySettings = { name: 'Soho Bar Ltd', currency: 'GBP', timeZone: 'Pacific/Auckland', locale: 'en-NZ', fyStartMonth: 4 };

describe(`the company settings (${STORE_UNDER_TEST})`, () => {
  it.each([
    ['not saved yet', null, null],
    ['saved', JSON.stringify(saved), saved],
    ['unreadable (not JSON)', '{"timeZone": "Pacific/Auck', null],
  ])('are read alike by every store when %s', async (_name, value, settings) => {
    await company.setRow(value);
    expect(await company.answers(AT)).toEqual({
      postingZone: settings?.timeZone ?? machineDefaults().timeZone,
      ...(STORE_UNDER_TEST === 'postgres' ? { operationsCompany: settings } : { operationsTime: dateTimeFor(AT, settings) }),
      draftsTime: dateTimeFor(AT, settings),
      masterDataTime: dateTimeFor(AT, settings),
      companySettings: settings,
    });
    expect(await company.dateTime(AT)).toBe(dateTimeFor(AT, settings));
  });
});
