import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../test/fixtures/cli';
import { openFixture } from '../../test/fixtures/ledger';
import { openPgFixture } from '../../test/fixtures/pg-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { tamperLedgerFile } from '../../test/fixtures/tamper';
import type { LedgerCore } from '../ledger/ledger-core';
import { recordPgAnchor } from '../ledger/pg/store/pg-anchor-store';
import { recordAnchor } from '../ledger/store/chain-anchors';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import { DATABASE_URL_ENV } from './pg-verify-command';

/**
 * `stockbook verify` on the configured store (test/fixtures/store-under-test.ts): a ledger file (`--db FILE`) by default,
 * a PostgreSQL ledger (`--database URL`, or STOCKBOOK_DATABASE_URL) in `npm run test:unit:pg`. The movements are posted
 * by the store's writer, nothing anchored yet, and changed around the app as someone with the database's keys could.
 * SQLite's incremental mode and integrity_check are in verify-command.sqlite.test.ts; PostgreSQL's addresses and TRUNCATE
 * triggers in pg-verify-command.test.ts.
 */
const cluster = clusterForConfiguredStore();

/** A ledger of the configured store, as `stockbook verify` is told it, with what the tests do to it. */
interface VerifiedLedger {
  core: LedgerCore;
  ids: { wh: number; bulk: number; admin: number };
  /** The ledger as the command names it when verifying: the file, or the address. */
  where: string;
  /** The command's arguments naming the ledger: `--db FILE` or `--database URL`. */
  args: string[];
  /** Runs `edit` around the app with the movements' append-only triggers out of the way, and puts them back. */
  aroundTheApp(edit: string): Promise<void>;
  /** Runs `edit` around the app with the trigger refusing UPDATE on movements dropped or disabled, and left so. */
  updateTriggerLeftOff(edit: string): Promise<void>;
  /** Records the chain head as a backup's anchor, as the store's own backup does. */
  anchorTheHead(): Promise<void>;
  close(): Promise<void>;
}

async function openLedger(): Promise<VerifiedLedger> {
  if (STORE_UNDER_TEST === 'sqlite') {
    const f = await openFixture();
    return {
      core: new SqliteLedgerCore(f.ledger.db, f.ledger.poster),
      ids: f.ids,
      where: f.path,
      args: ['--db', f.path],
      aroundTheApp: async (edit) => tamperLedgerFile(f.path, (raw) => raw.exec(edit)),
      updateTriggerLeftOff: async (edit) => {
        const raw = new Database(f.path);
        try {
          raw.exec(`DROP TRIGGER TRG_movements_no_update; ${edit}`);
        } finally {
          raw.close();
        }
      },
      anchorTheHead: async () => void recordAnchor(f.ledger.db, 'backup', null),
      close: () => f.cleanup(),
    };
  }
  const f = await openPgFixture(cluster()!);
  const where = `postgres://${f.connection.user}@${f.connection.host}:${f.connection.port}/${f.connection.database}`;
  return {
    core: f.store,
    ids: f.ids,
    where,
    args: ['--database', where],
    aroundTheApp: async (edit) => void (await f.pool.query(`ALTER TABLE movements DISABLE TRIGGER movements_no_delete; ${edit}; ALTER TABLE movements ENABLE TRIGGER movements_no_delete`)),
    updateTriggerLeftOff: async (edit) => void (await f.pool.query(`ALTER TABLE movements DISABLE TRIGGER movements_no_update; ${edit}`)),
    anchorTheHead: async () => void (await recordPgAnchor(f.pool, 'backup', null)),
    close: () => f.close(),
  };
}

/** How each store words a changed movement, and a missing append-only trigger on movements. */
const WORDS = {
  sqlite: {
    altered: 'movement 1: content does not match its hash (altered)',
    noTrigger: 'TRG_movements_no_update is missing: nothing refuses UPDATE on movements',
  },
  postgres: {
    altered: 'movement 1: its hash does not match its content (it was changed)',
    noTrigger: 'movements: the trigger movements_no_update is missing or disabled',
  },
}[STORE_UNDER_TEST];

/** A text to match as it is, inside a regular expression. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let l: VerifiedLedger;
beforeEach(async () => {
  l = await openLedger();
  const { wh, bulk, admin } = l.ids;
  await l.core.post({ idempotencyKey: 'v-1', type: 'receipt', lines: [{ productId: bulk, siteId: wh, type: 'inbound', qty: 2_000 }] }, admin);
  await l.core.post({ idempotencyKey: 'v-2', type: 'despatch', lines: [{ productId: bulk, siteId: wh, type: 'sale', qty: -500 }] }, admin);
});
afterEach(async () => {
  await l.close();
  delete process.env[DATABASE_URL_ENV];
});

describe(`stockbook verify (${STORE_UNDER_TEST})`, () => {
  it('verifies the ledger it is given and prints the report: every invariant ok, exit 0', async () => {
    const { code, out } = await cli(['verify', ...l.args]);
    expect(out).toContain(`Verifying ${l.where} (2 movements)`);
    expect(out).toContain('2 movements hashed.');
    expect(out).toMatch(/ok {3}6\. each movement's hash covers its content and the previous hash/);
    expect(out).toMatch(/All invariants hold\.$/);
    expect(code).toBe(0);
  });

  it('finds a movement changed around the app (its trigger left off), and exits 1', async () => {
    await l.updateTriggerLeftOff('UPDATE movements SET qty = 1999 WHERE seq = 1');
    // PostgreSQL's address may come from STOCKBOOK_DATABASE_URL instead of --database.
    const args = STORE_UNDER_TEST === 'sqlite' ? l.args : ((process.env[DATABASE_URL_ENV] = l.where), []);
    const { code, out } = await cli(['verify', ...args, '--json']);
    const report = JSON.parse(out) as { ok: boolean; checks: { name: string; ok: boolean; problems: string[] }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'hash-chain')!.problems).toEqual([WORDS.altered]);
    expect(code).toBe(1);
    const text = await cli(['verify', ...args]);
    expect(text.out).toMatch(new RegExp(`FAIL 1\\. movements \\(and the audit log and chain anchors\\) are never updated or deleted[^\\n]*\\n\\s+${literally(WORDS.noTrigger)}`));
    expect(text.out).toMatch(/The ledger is NOT consistent: see the failures above\.$/);
  });

  it('finds the newest movements removed by an anchor past the end (a backup recorded a head the chain no longer reaches)', async () => {
    await l.anchorTheHead();
    await l.aroundTheApp('DELETE FROM movements WHERE seq = 2');
    const { code, out } = await cli(['verify', ...l.args, '--json']);
    const report = JSON.parse(out) as { checks: { name: string; problems: string[] }[] };
    // The chain up to movement 1 is whole and its own hashes agree: only the anchor tells that movement 2 was there.
    expect(report.checks.find((c) => c.name === 'hash-chain')!.problems).toEqual([]);
    expect(report.checks.find((c) => c.name === 'chain-anchors')!.problems).toEqual([expect.stringMatching(/^chain anchor 1 \(backup.*\) recorded movement 2, but the chain ends at 1 \(movements were removed\)$/)]);
    expect(code).toBe(1);
  });
});
