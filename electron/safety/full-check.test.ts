import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../shared/auth';
import type { SafeModeInfo } from '../../shared/safety';
import { buildPgBulkLedger, buildSqliteBulkLedger, MOVEMENTS, VICTIM } from '../../test/fixtures/full-check-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook, type LedgerStore } from '../app/compose';
import { openPool } from '../ledger/pg/pg-types';
import type { MovementRow } from '../ledger/store/movement-hash';
import { pgStartupCheck } from './pg-startup-check';
import { openLedgerSafely } from './startup-check';

/**
 * The full check after start on the configured store (test/fixtures/store-under-test.ts): SQLite's (full-check.ts, in
 * its own thread) by default, PostgreSQL's (pg-host.ts, verify in one snapshot) in `npm run test:unit:pg`, on a ledger of
 * 20,007 movements. What is SQLite's own (damaged pages, integrity_check, the scan's progress, the backup copy's anchor)
 * is in full-check.sqlite.test.ts.
 */
const cluster = clusterForConfiguredStore();
let dir: string;
/** The SQLite template file, or the PostgreSQL template database, each test's ledger is a copy of. */
let template: string;
let n = 0;

/** A copy of the 20,007-movement ledger for one test: what the app is started on, and what the test does around it. */
interface BulkLedger {
  dbPath: string;
  store: LedgerStore;
  /** The start-up check's verdict, as the app's start runs it. */
  startupSafeMode(): Promise<SafeModeInfo | null>;
  /** Changes one hex digit of movement `seq`'s stored hash, around the app (its triggers as they were afterwards). */
  changeStoredHash(seq: number): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
let ledger: BulkLedger;

/** How each store words a movement whose stored hash no longer matches its content. */
const ALTERED = { sqlite: /hash-chain: movement 9604: content does not match its hash/, postgres: /hash-chain: movement 9604: its hash does not match its content/ }[STORE_UNDER_TEST];

const flip = (hash: string, i: number) => hash.slice(0, i) + (hash[i] === '0' ? '1' : '0') + hash.slice(i + 1);

/** Flips one byte of the file on disk: a hex digit of the movement's stored hash (found next to its prev_hash, in its own row). */
function flipByteOfMovement(file: string, seq: number): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const row = db.prepare('SELECT * FROM movements WHERE seq = ?').get(seq) as MovementRow;
  db.close();
  expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
  const bytes = readFileSync(file);
  const at = bytes.indexOf(Buffer.from(row.prev_hash + row.hash, 'latin1'));
  expect(at).toBeGreaterThan(0);
  const i = at + 64 + 10;
  bytes[i] = bytes[i] === 0x30 ? 0x31 : 0x30;
  writeFileSync(file, bytes);
}

function sqliteCopy(): BulkLedger {
  const dbPath = join(dir, `ledger-${++n}.db`);
  copyFileSync(template, dbPath);
  return {
    dbPath,
    store: { kind: 'sqlite' },
    startupSafeMode: async () => {
      const start = await openLedgerSafely(dbPath);
      await start.ledger?.close();
      return start.safeMode;
    },
    changeStoredHash: async (seq) => flipByteOfMovement(dbPath, seq),
    rows: async (sql) => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    close: async () => undefined,
  };
}

function pgCopy(): BulkLedger {
  const name = `fullcheck_${process.pid}_${++n}`;
  const connection = cluster()!.createDatabase(name, template);
  const pool = openPool(connection);
  return {
    dbPath: join(dir, `${name}.db`),
    store: { kind: 'postgres', connection },
    startupSafeMode: async () => (await pgStartupCheck(pool, connection)).safeMode,
    changeStoredHash: async (seq) => {
      const { hash } = (await pool.query<{ hash: string }>('SELECT hash FROM movements WHERE seq = $1', [seq])).rows[0]!;
      await pool.query(`BEGIN; ALTER TABLE movements DISABLE TRIGGER movements_no_update; UPDATE movements SET hash = '${flip(hash, 10)}' WHERE seq = ${seq}; ALTER TABLE movements ENABLE TRIGGER movements_no_update; COMMIT`);
    },
    rows: async (sql) => (await pool.query(sql)).rows as Record<string, unknown>[],
    close: async () => {
      await pool.end();
      cluster()!.dropDatabase(name);
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-fullcheck-'));
  if (STORE_UNDER_TEST === 'sqlite') {
    template = join(dir, 'template.db');
    await buildSqliteBulkLedger(template);
  } else {
    template = `fullcheck_template_${process.pid}`;
    await buildPgBulkLedger(cluster()!, template);
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  ledger = STORE_UNDER_TEST === 'sqlite' ? sqliteCopy() : pgCopy();
});
afterEach(() => ledger.close());

describe(`the full check after start (${STORE_UNDER_TEST})`, () => {
  it('a changed hash at movement 9,604 of 20,007 passes the start-up check but the background check finds it and enters safe mode', async () => {
    await ledger.changeStoredHash(VICTIM);
    // The start-up check looks only at the newest movements: it opens the ledger normally.
    expect(await ledger.startupSafeMode()).toBeNull();

    const app = await startStockbook({ dbPath: ledger.dbPath, mode: 'web', store: ledger.store });
    try {
      const s = await app.openSession();
      const safeMode = async () => {
        const status = await s.call('auth.status', {});
        return status.ok ? (status.result as AuthStatus).safeMode : null;
      };
      await expect
        .poll(safeMode, { timeout: 30_000, interval: 100 })
        .toMatchObject({ reason: 'invariants', message: expect.stringMatching(/full ledger check found a problem.*movement 9604.*safe mode/) });
      expect((await safeMode())!.problems.join('\n')).toMatch(ALTERED);
      // Safe mode takes no new postings.
      const post = await s.call('operations.receive', { idempotencyKey: 'after-the-check', kind: 'stock_receipt', siteId: 2, lines: [{ productId: 1, qty: 1, unitCost: 1 }] });
      expect(post).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/safe mode/) } });
    } finally {
      await app.close();
    }
    expect(await ledger.rows('SELECT COUNT(*) AS n FROM movements')).toEqual([{ n: MOVEMENTS }]);
  }, 60_000);

  it('a sound ledger: the background check passes and anchors the head it checked', async () => {
    const head = (await ledger.rows(`SELECT seq, hash FROM movements WHERE seq = ${MOVEMENTS}`))[0]!;
    const app = await startStockbook({ dbPath: ledger.dbPath, mode: 'web', store: ledger.store });
    try {
      const s = await app.openSession();
      await expect.poll(() => ledger.rows("SELECT seq, hash FROM chain_anchors WHERE source = 'check'"), { timeout: 30_000, interval: 100 }).toEqual([{ seq: MOVEMENTS, hash: head.hash }]);
      expect(await s.call('auth.status', {})).toMatchObject({ ok: true, result: { safeMode: null } });
    } finally {
      await app.close();
    }
  }, 60_000);
});
