import Database from 'better-sqlite3';
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../shared/auth';
import { buildSqliteBulkLedger, MOVEMENTS, VICTIM } from '../../test/fixtures/full-check-ledger';
import { startStockbook } from '../app/compose';
import { hashMovement, type MovementRow } from '../ledger/store/movement-hash';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { runPosting } from '../posting/batch-runner';
import { PostingStore } from '../posting/posting-store';
import { BuiltinLedgerTarget } from '../posting/targets/builtin-ledger';
import { runBackup } from './backup-service';
import { externalAnchors } from './external-anchors-store';
import { fullCheck, fullCheckOffThread } from './full-check';
import { openLedgerSafely } from './startup-check';

/**
 * The full check on a ledger file, what is SQLite's own: damaged pages and index entries (integrity_check), the scan in
 * its own thread with its progress, and the anchors of a checked backup and a posting batch, the backup copy's outside
 * the file. What the full check after start does on both stores: full-check.test.ts.
 */
let dir: string;
let template: string;
let path: string;

const movement = (db: Database.Database, seq: number) => db.prepare('SELECT * FROM movements WHERE seq = ?').get(seq) as MovementRow;

/** What someone with the file can do around the app: drop the triggers, edit a movement, re-hash the chain from there on, restore the triggers. */
function rewriteChainFrom(file: string, seq: number, edit: string): void {
  const db = new Database(file);
  db.transaction(() => {
    const triggers = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'movements'").all() as { sql: string }[];
    db.exec('DROP TRIGGER TRG_movements_no_update; DROP TRIGGER TRG_movements_no_delete;');
    db.prepare(`UPDATE movements SET ${edit} WHERE seq = ?`).run(seq);
    const set = db.prepare('UPDATE movements SET prev_hash = ?, hash = ? WHERE seq = ?');
    let prev = movement(db, seq - 1).hash;
    for (const row of db.prepare('SELECT * FROM movements WHERE seq >= ? ORDER BY seq').all(seq) as MovementRow[]) {
      const { hash: _old, prev_hash: _p, ...content } = row;
      const hash = hashMovement(prev, content);
      set.run(prev, hash, row.seq);
      prev = hash;
    }
    for (const t of triggers) db.exec(t.sql);
  })();
  db.close();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-fullcheck-'));
  template = join(dir, 'template.db');
  await buildSqliteBulkLedger(template);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
beforeEach(() => {
  path = join(dir, `ledger-${++n}.db`);
  copyFileSync(template, path);
});

/** Overwrites one leaf page of a movements index with garbage: nothing the start-up check reads, but SQLite's quick_check reads every page. */
function damageIndexPage(file: string): number {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = 'IDX_movements_user_occurred' AND pagetype = 'leaf' ORDER BY pageno").all() as { pageno: number }[];
  db.close();
  const page = leaves[Math.floor(leaves.length / 2)]!.pageno;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
  return page;
}

describe('the full check after start', () => {
  it('a damaged page deep in the file does not hold up the start, but the background check finds it and enters safe mode (integrity)', async () => {
    const page = damageIndexPage(path);
    // The start-up check reads nothing whose cost grows with the ledger: no page-by-page check of the whole file.
    const start = await openLedgerSafely(path);
    expect(start.safeMode).toBeNull();
    await start.ledger!.close();

    const direct = fullCheck(path);
    expect(direct).toMatchObject({ ok: false, damaged: true });
    expect(direct.problems[0]).toMatch(/^file: /);
    expect(direct.problems.join('\n')).toMatch(new RegExp(`page ${page}: `));

    const app = await startStockbook({ dbPath: path, mode: 'web' });
    try {
      const s = await app.openSession();
      expect(await s.call('auth.status', {})).toMatchObject({ ok: true, result: { safeMode: null } }); // the window opens first
      const safeMode = async () => {
        const status = await s.call('auth.status', {});
        return status.ok ? (status.result as AuthStatus).safeMode : null;
      };
      await expect
        .poll(safeMode, { timeout: 30_000, interval: 100 })
        .toMatchObject({ reason: 'integrity', message: expect.stringMatching(/ledger file is damaged \(the check of its pages found \d+ problems?, listed below\)\. Stockbook switched to read-only safe mode: restore the last good backup/) });
      const post = await s.call('operations.receive', { idempotencyKey: 'after-the-damage', kind: 'stock_receipt', siteId: 2, lines: [{ productId: 1, qty: 1, unitCost: 1 }] });
      expect(post).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/safe mode/) } });
    } finally {
      await app.close();
    }
  }, 60_000);

  it('index entries that disagree with their rows (the pages themselves sound): integrity_check names them beside the invariants, the file is not called damaged', () => {
    // The index keeps its entries (document ids) while its definition now says they are line numbers.
    const raw = new Database(path);
    raw.unsafeMode(true);
    raw.pragma('writable_schema = ON');
    raw.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX \"IDX_movements_document\" ON \"movements\" (\"line_no\")' WHERE name = 'IDX_movements_document'").run();
    raw.close();
    const reader = new Database(path, { readonly: true });
    expect(reader.pragma('quick_check', { simple: true })).toBe('ok');
    reader.close();
    const result = fullCheck(path);
    expect(result).toMatchObject({ ok: false, damaged: false, movements: MOVEMENTS });
    expect(result.problems.join('\n')).toMatch(/integrity_check: .*IDX_movements_document/);
  }, 60_000);

  it('checks every movement in one scan off the thread, reporting progress up to 20,007, and gives the head it checked', async () => {
    const seen: [number, number][] = [];
    const result = await fullCheckOffThread(path, { onProgress: (done, total) => seen.push([done, total]) });
    expect(result).toMatchObject({ ok: true, movements: MOVEMENTS, head: { seq: MOVEMENTS }, problems: [] });
    expect(seen[seen.length - 1]).toEqual([MOVEMENTS, MOVEMENTS]);
    expect(seen.map(([done]) => done)).toEqual([10_000, 20_000, MOVEMENTS]);
    // The head the app's check anchors (full-check.test.ts, on both stores): the newest movement's stored hash.
    const db = new Database(path, { readonly: true });
    expect(result.head.hash).toBe(movement(db, MOVEMENTS).hash);
    db.close();
  }, 60_000);
});

describe('chain anchors', () => {
  async function anchored(): Promise<{ backupPath: string }> {
    const ledger = await SqliteLedger.open(path);
    const store = new PostingStore(ledger.db);
    const posted = await runPosting(store, new BuiltinLedgerTarget(store), { to: Date.now() + 60_000, summarised: true, userId: ledger.reference.userId('admin') });
    expect(posted.movementCount).toBe(MOVEMENTS);
    const site = (ledger.db.prepare("SELECT id FROM sites WHERE code = 'WH1'").get() as { id: number }).id;
    ledger.poster.post({ idempotencyKey: 'three-more', type: 'receipt', lines: [1, 2, 3].map((q) => ({ productId: 1, siteId: site, type: 'stock_receipt' as const, qty: q, unitCost: 5 })) }, 1);
    const backup = await runBackup(ledger, 'manual', { folder: join(dir, `backups-${n}`) });
    const anchors = ledger.db.prepare('SELECT seq, source, ref FROM chain_anchors ORDER BY id').all();
    expect(anchors).toEqual([
      { seq: MOVEMENTS, source: 'posting', ref: posted.batchId },
      { seq: MOVEMENTS + 3, source: 'backup', ref: backup.id },
    ]);
    expect(ledger.db.prepare('SELECT chain_seq FROM journal_batches').all()).toEqual([{ chain_seq: MOVEMENTS }]);
    expect(ledger.db.prepare('SELECT chain_seq FROM backups').all()).toEqual([{ chain_seq: MOVEMENTS + 3 }]);
    expect(ledger.verify().ok).toBe(true);
    await ledger.close();
    return { backupPath: backup.path };
  }

  it('a full re-hash of the chain after editing movement 9,604 fails verify on the posting and backup anchors', async () => {
    await anchored();
    rewriteChainFrom(path, VICTIM, 'unit_cost = unit_cost * 10');
    const ledger = await SqliteLedger.open(path);
    try {
      const report = ledger.verify();
      const by = Object.fromEntries(report.checks.map((c) => [c.name, c]));
      // The chain itself is consistent again and the triggers are back: only the anchors tell.
      expect(by['hash-chain']!.ok).toBe(true);
      expect(by['append-only']!.ok).toBe(true);
      expect(report.ok).toBe(false);
      const problems = by['chain-anchors']!.problems.join('\n');
      expect(problems).toMatch(/movement 20007: its hash differs from the one posting batch 1 recorded/);
      expect(problems).toMatch(/movement 20007: its hash differs from the one chain anchor 1 \(posting 1\) recorded/);
      expect(problems).toMatch(/movement 20010: its hash differs from the one backup 1 recorded/);
    } finally {
      await ledger.close();
    }
  }, 60_000);

  it('rewriting the anchors in the file too is still caught by the backup copy outside it', async () => {
    const { backupPath } = await anchored();
    rewriteChainFrom(path, VICTIM, 'unit_cost = unit_cost * 10');
    const raw = new Database(path);
    const head = (seq: number) => movement(raw, seq).hash;
    raw.exec('DROP TRIGGER TRG_chain_anchors_no_update');
    raw.prepare('UPDATE chain_anchors SET hash = ? WHERE seq = ?').run(head(MOVEMENTS), MOVEMENTS);
    raw.prepare('UPDATE chain_anchors SET hash = ? WHERE seq = ?').run(head(MOVEMENTS + 3), MOVEMENTS + 3);
    raw.prepare('UPDATE journal_batches SET chain_hash = ?').run(head(MOVEMENTS));
    raw.prepare('UPDATE backups SET chain_hash = ?').run(head(MOVEMENTS + 3));
    raw.exec(`CREATE TRIGGER "TRG_chain_anchors_no_update" BEFORE UPDATE ON "chain_anchors" BEGIN SELECT RAISE(ABORT, 'chain anchors are append-only'); END`);
    raw.close();

    const ledger = await SqliteLedger.open(path);
    try {
      expect(ledger.verify().ok).toBe(true); // everything inside the file agrees with itself…
      const outside = externalAnchors(ledger.db);
      expect(outside).toEqual([{ seq: MOVEMENTS + 3, hash: expect.any(String), source: `the backup copy ${backupPath}` }]);
      const report = ledger.verify({ externalAnchors: outside });
      expect(report.ok).toBe(false); // …but not with the copy it made before the edit
      expect(report.checks.find((c) => c.name === 'chain-anchors')!.problems).toEqual([
        `movement 20010: its hash differs from the one the backup copy ${backupPath} recorded (the chain up to it was rewritten)`,
      ]);
    } finally {
      await ledger.close();
    }
    const full = fullCheck(path);
    expect(full.ok).toBe(false);
    expect(full.problems.join('\n')).toMatch(/chain-anchors: movement 20010: .*the backup copy/);
  }, 60_000);

  it('removing the newest movements is caught by an anchor past the end', async () => {
    await anchored();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER TRG_movements_no_delete');
    raw.prepare('DELETE FROM movements WHERE seq > ?').run(MOVEMENTS);
    raw.exec(`CREATE TRIGGER "TRG_movements_no_delete" BEFORE DELETE ON "movements" BEGIN SELECT RAISE(ABORT, 'movements are append-only: post a reversal instead of deleting one'); END`);
    raw.close();
    const ledger = await SqliteLedger.open(path);
    try {
      const problems = ledger.verify().checks.find((c) => c.name === 'chain-anchors')!.problems.join('\n');
      expect(problems).toMatch(/backup 1 recorded movement 20010, but the chain ends at 20007 \(movements were removed\)/);
    } finally {
      await ledger.close();
    }
  }, 60_000);
});
