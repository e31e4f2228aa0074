import Database from 'better-sqlite3';
import { mkdtempSync, openSync, readdirSync, rmSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../ledger/data-source';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { listBackups } from './backup-service';
import { fastVerify, START_LEVELS_PER_PAIR } from './fast-verify';
import { safeModeOps } from './safe-mode-ops';
import { KNOWN_MIGRATIONS, openLedgerSafely } from './startup-check';
import { pendingRestore } from './restore';
import { asUser } from '../../test/fixtures/caller';

/**
 * SQLite's start-up checks on the file (triggers, chain, stock levels, damaged pages, migration backups) and its safe
 * mode's backups. What the app does on either store (safe mode at start, what a session may do there) is in startup.test.ts.
 */
let dir: string;
let path: string;

async function seeded(): Promise<void> {
  const ledger = await SqliteLedger.open(path);
  const r = ledger.reference;
  const site = r.addSite({ code: 'WH1', name: 'Warehouse' });
  const p = r.addProduct({ sku: 'A', name: 'A', stockType: 'Supplied' });
  for (let i = 1; i <= 3; i++) {
    ledger.poster.post({ idempotencyKey: `seed-doc-${i}`, type: 'receipt', lines: [{ productId: p, siteId: site, type: 'supplier_order', qty: 10 * i, unitCost: 5 }] }, r.userId('admin'));
  }
  await ledger.close();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-start-'));
  path = join(dir, 'ledger.db');
  await seeded();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('integrity on start', () => {
  it('opens a sound ledger normally', async () => {
    const start = await openLedgerSafely(path);
    expect(start.safeMode).toBeNull();
    expect(fastVerify(start.ledger!.db)).toEqual([]);
    await start.ledger!.close();
  });

  it('refuses a migration history it does not know, with the way out', async () => {
    const db = new Database(path);
    db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(1999999999999, 'FromTheFuture1999999999999');
    db.close();
    const start = await openLedgerSafely(path);
    expect(start.ledger).toBeNull();
    expect(start.safeMode).toMatchObject({ reason: 'unknown-migrations', problems: ['FromTheFuture1999999999999'] });
    expect(start.safeMode!.message).toMatch(/newer Stockbook.*Install the newer Stockbook.*or restore a backup/);
  });

  it('backs up before running migrations and records the backup', async () => {
    const { dataSource, db } = await openLedgerDataSource(path);
    db.pragma('foreign_keys = OFF'); // as the migration runner has them: 0017 rebuilds tables that others point at
    await dataSource.undoLastMigration();
    await dataSource.destroy();
    const start = await openLedgerSafely(path);
    expect(start.safeMode).toBeNull();
    const ledger = start.ledger!;
    const applied = (ledger.db.prepare('SELECT name FROM migrations ORDER BY id').all() as { name: string }[]).map((m) => m.name);
    expect(applied).toEqual(KNOWN_MIGRATIONS);
    const [b] = listBackups(ledger.db);
    expect(b).toMatchObject({ reason: 'pre-migration', ok: true });
    expect(start.notes.join()).toMatch(/before upgrading/);
    const copy = new Database(b!.path, { readonly: true });
    expect((copy.prepare('SELECT COUNT(*) AS n FROM migrations').get() as { n: number }).n).toBe(KNOWN_MIGRATIONS.length - 1);
    copy.close();
    await ledger.close();
  });

  it('a tampered movement or a missing trigger opens in safe mode', async () => {
    const db = new Database(path);
    db.exec('DROP TRIGGER "TRG_movements_no_update"');
    db.prepare('UPDATE movements SET qty = 999 WHERE seq = 2').run();
    db.close();
    const start = await openLedgerSafely(path);
    expect(start.ledger).toBeNull();
    expect(start.safeMode!.reason).toBe('invariants');
    const problems = start.safeMode!.problems.join('\n');
    expect(problems).toMatch(/TRG_movements_no_update is missing/);
    expect(problems).toMatch(/movement 2: content does not match its hash/);
    expect(problems).toMatch(/movement 2: balance after 30 is not the previous balance 10 plus its quantity 999/);
  });

  it('the newest movements missing, or stock levels off their latest balance, open in safe mode', async () => {
    const db = new Database(path);
    db.exec('DROP TRIGGER "TRG_movements_no_delete"');
    db.prepare('DELETE FROM movements WHERE seq = 2').run();
    db.prepare('UPDATE stock_levels SET qty = 61').run();
    db.close();
    const start = await openLedgerSafely(path);
    expect(start.ledger).toBeNull();
    expect(start.safeMode!.reason).toBe('invariants');
    const problems = start.safeMode!.problems.join('\n');
    expect(problems).toMatch(/movements are missing: 2 rows among the last 3 seqs up to 3/);
    expect(problems).toMatch(/product 1 at site \d+: stock levels hold 61 but its latest movement leaves 60/);
  });

  it('reads at most START_LEVELS_PER_PAIR stock levels of a product/site: one with more is left to the full check, which names its drift', async () => {
    const ledger = await SqliteLedger.open(path);
    const r = ledger.reference;
    const site = r.addSite({ code: 'WH2', name: 'Cellar' });
    const claret = r.addProduct({ sku: 'CLARET', name: 'Claret', stockType: 'Supplied', tracking: 'LOT' });
    const few = r.addProduct({ sku: 'PORT', name: 'Port', stockType: 'Supplied', tracking: 'LOT' });
    const receipt = (key: string, productId: number, batches: number) => ({
      idempotencyKey: key,
      type: 'receipt' as const,
      lines: Array.from({ length: batches }, (_, i) => ({ productId, siteId: site, type: 'supplier_order' as const, qty: 1, unitCost: 5, batch: { code: `B${i}` } })),
    });
    ledger.poster.post(receipt('many-batches', claret, START_LEVELS_PER_PAIR + 1), r.userId('admin'));
    ledger.poster.post(receipt('few-batches', few, START_LEVELS_PER_PAIR), r.userId('admin'));
    const db = new Database(path);
    db.prepare("UPDATE stock_levels SET qty = 7 WHERE product_id IN (?, ?) AND batch_id = (SELECT id FROM batches WHERE product_id = stock_levels.product_id AND code = 'B3')").run(claret, few);
    db.close();
    // The product/site with START_LEVELS_PER_PAIR levels is still summed at start-up; the one with more is not.
    expect(fastVerify(ledger.db)).toEqual([`product ${few} at site ${site}: stock levels hold ${START_LEVELS_PER_PAIR + 6} but its latest movement leaves ${START_LEVELS_PER_PAIR}`]);
    const levels = ledger.verify({ mode: 'full' }).checks.find((c) => c.name === 'stock-levels')!;
    expect(levels.problems.join('\n')).toMatch(new RegExp(`product ${claret} site ${site} bin - batch \\d+: stock level 7, movements sum to 1`));
    await ledger.close();
  });

  it('a damaged file opens in safe mode', async () => {
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(size - 8192, 0xab), 0, size - 8192, 4096);
    closeSync(fd);
    const start = await openLedgerSafely(path);
    expect(start.ledger).toBeNull();
    expect(['integrity', 'open-failed', 'invariants']).toContain(start.safeMode!.reason);
    expect(start.safeMode!.message).toMatch(/restore/i);
  });
});

describe('safe mode', () => {
  it('refuses writes and reads with the reason, and offers files, export and restore', async () => {
    const backups = join(dir, 'backups');
    const good = await SqliteLedger.open(path);
    const { runBackup } = await import('./backup-service');
    const b = await runBackup(good, 'manual');
    await good.close();
    const events: unknown[] = [];
    const info = { reason: 'invariants' as const, message: 'The ledger failed its start-up checks.', problems: ['x'] };
    const safe = safeModeOps(path, info, (e, p) => events.push([e, p]));
    expect(safe.ops.safetyStatus()).toEqual(info);
    expect(() => safe.ops['operations.receive']({ idempotencyKey: 'k-123456', kind: 'inbound', siteId: 1, dutyPaid: false, lines: [{ productId: 1, qty: 1, unitCost: 1 }] }, asUser(1))).toThrow(/safe mode: only the safety status, backups and restore work/);
    expect(() => safe.ops['operations.receive']({} as never, asUser(1))).not.toThrow(/operations\.receive/);
    expect(() => safe.ops['stock.current']({} as never)).toThrow(/safe mode/);
    const files = safe.ops['backups.files']();
    expect(files.map((f) => f.path)).toEqual([b.path]);
    expect(() => safe.ops['backups.restore']({ file: join(backups, '../ledger.db') }, asUser(0))).toThrow(/not a backup/);
    safe.ops['backups.restore']({ file: b.path }, asUser(0));
    expect(pendingRestore(path)).toBe(b.path);
    safe.ops['backups.run']('job-1', { toFolder: join(dir, 'export') }, { userId: null, username: 'x' });
    await expect.poll(() => events.length, { timeout: 10_000 }).toBe(1);
    expect(events[0]).toMatchObject(['job.finished', { ok: true, message: expect.stringMatching(/Exported a copy .*passed its check/) }]);
    expect(readdirSync(join(dir, 'export'))).toHaveLength(1);
    safe.close();
  });
});
