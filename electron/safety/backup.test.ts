import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, tableCounts, type Fixture } from '../../test/fixtures/ledger';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { verifyLedger } from '../ledger/store/verify';
import { listAudit } from './audit';
import { applyRetention, backupBeforePosting, backupStatus, listBackups, runBackup } from './backup-service';
import { pendingRestore, scheduleRestore } from './restore';
import { selectRetained } from './retention';
import { runSafetyCommand } from './safety-command';
import { setSetting } from './settings-store';
import { openLedgerSafely } from './startup-check';

const DAY = 86_400_000;
let f: Fixture;

async function postSome(n: number) {
  for (let i = 0; i < n; i++) {
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'supplier_order', qty: 1000 + i, unitCost: 25 }]), f.ids.admin);
  }
}

beforeEach(async () => {
  f = await openFixture();
  await postSome(5);
});
afterEach(async () => {
  await f.cleanup();
});

describe('online backup', () => {
  it('copies the live ledger, checks the copy (integrity_check + verify), records and audits it', async () => {
    const b = await runBackup(f.ledger, 'manual', { actor: { userId: f.ids.admin, username: 'admin' } });
    expect(b).toMatchObject({ ok: true, reason: 'manual', integrity: 'ok', verifyOk: true });
    expect(b.path.startsWith(join(f.dir, 'backups'))).toBe(true);
    expect(b.bytes).toBeGreaterThan(0);
    const copy = new Database(b.path, { readonly: true });
    expect(verifyLedger(copy).ok).toBe(true);
    expect((copy.prepare('SELECT COUNT(*) AS n FROM movements').get() as { n: number }).n).toBe(5);
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(readdirSync(join(f.dir, 'backups')).filter((n) => n.endsWith('.partial'))).toEqual([]);
    expect(listAudit(f.ledger.db)[0]).toMatchObject({ action: 'backup', username: 'admin' });
    const status = backupStatus(f.ledger);
    expect(status.lastGood?.id).toBe(b.id);
    expect(status.stale).toBe(false);
    expect(backupStatus(f.ledger, Date.now() + 3 * DAY).stale).toBe(true);
  });

  it('checks the copy in its own thread as the ledger worker does', async () => {
    const b = await runBackup(f.ledger, 'manual', { offThread: true });
    expect(b).toMatchObject({ ok: true, verifyOk: true });
  });

  it('a folder that cannot be written fails clearly, is recorded, and leaves the ledger as it was', async () => {
    const before = tableCounts(f.ledger);
    const blocker = join(f.dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    await expect(runBackup(f.ledger, 'manual', { folder: join(blocker, 'sub') })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/Could not write the backup .*or choose another/),
    });
    expect(listBackups(f.ledger.db)[0]).toMatchObject({ ok: false });
    expect(listAudit(f.ledger.db)[0]).toMatchObject({ action: 'backup-failed' });
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(backupStatus(f.ledger).lastGood).toBeNull();
  });

  it('backupBeforePosting gives posting a checked backup, or refuses with a reason', async () => {
    const b = await backupBeforePosting(f.ledger);
    expect(b).toMatchObject({ ok: true, reason: 'pre-posting' });
    writeFileSync(join(f.dir, 'file'), 'x');
    setSetting(f.ledger.db, 'backup.folder', join(f.dir, 'file', 'backups'));
    await expect(backupBeforePosting(f.ledger)).rejects.toMatchObject({ message: expect.stringMatching(/^Posting did not start because the backup before posting failed/) });
  });
});

describe('retention', () => {
  it('keeps 14 daily, 8 weekly and 12 monthly backups (grandfather-father-son)', () => {
    const start = Date.UTC(2025, 0, 1, 21);
    const backups = Array.from({ length: 400 }, (_, i) => ({ id: i + 1, startedAt: start + i * DAY }));
    const keep = selectRetained(backups, { daily: 14, weekly: 8, monthly: 12 });
    const kept = [...keep].sort((a, b) => b - a);
    for (let id = 400; id > 386; id--) expect(keep.has(id)).toBe(true); // the last 14 days
    expect(keep.size).toBeGreaterThanOrEqual(14 + 12 - 3);
    expect(keep.size).toBeLessThanOrEqual(14 + 8 + 12);
    const months = new Set(kept.map((id) => new Date(start + (id - 1) * DAY).toISOString().slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
    expect(keep.has(1)).toBe(false);
    // Several backups on one day: only the newest of that day counts for the day.
    const sameDay = selectRetained([{ id: 1, startedAt: start }, { id: 2, startedAt: start + 1000 }, { id: 3, startedAt: start + DAY }], { daily: 2, weekly: 0, monthly: 0 });
    expect([...sameDay].sort()).toEqual([2, 3]);
  });

  it('deletes the files the policy no longer keeps and marks them removed', async () => {
    setSetting(f.ledger.db, 'backup.retention', { daily: 1, weekly: 0, monthly: 0 });
    let t = Date.now() - 5 * DAY;
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await runBackup(f.ledger, 'daily', { now: () => (t += DAY) }));
    expect(made.slice(0, 3).every((b) => !existsSync(b.path))).toBe(true);
    expect(existsSync(made[3]!.path)).toBe(true);
    expect(listBackups(f.ledger.db).filter((b) => b.removedAt === null).map((b) => b.id)).toEqual([made[3]!.id]);
    expect(applyRetention(f.ledger.db, { daily: 1, weekly: 0, monthly: 0 })).toBe(0);
  });
});

describe('restore', () => {
  it('stockbook backup / restore: the current file is kept aside, the backup comes back whole', async () => {
    const out: string[] = [];
    const to = mkdtempSync(join(tmpdir(), 'stockbook-bk-'));
    const path = f.path;
    await f.ledger.close();
    try {
      expect(await runSafetyCommand('backup', path, { to }, (l) => out.push(l))).toBe(0);
      const [file] = readdirSync(to).filter((n) => n.endsWith('.db'));
      expect(file).toMatch(/^stockbook-\d{8}-\d{6}-\d{3}-export\.db$/);
      // More documents after the backup; the restore takes them away again.
      f.ledger = await SqliteLedger.open(path);
      await postSome(3);
      expect(tableCounts(f.ledger).movements).toBe(8);
      await f.ledger.close();
      expect(await runSafetyCommand('restore', path, { from: join(to, file!) }, (l) => out.push(l))).toBe(0);
      expect(out.join('\n')).toMatch(/previous file was kept as .*before-restore-/);
      f.ledger = await SqliteLedger.open(path);
      expect(tableCounts(f.ledger).movements).toBe(5);
      expect(f.ledger.verify().ok).toBe(true);
      expect(listAudit(f.ledger.db)[0]).toMatchObject({ action: 'restore-applied', username: 'cli' });
      const aside = readdirSync(f.dir).find((n) => n.includes('before-restore-') && !n.endsWith('-wal'))!;
      const old = new Database(join(f.dir, aside), { readonly: true });
      expect((old.prepare('SELECT COUNT(*) AS n FROM movements').get() as { n: number }).n).toBe(8);
      old.close();
    } finally {
      rmSync(to, { recursive: true, force: true });
    }
  });

  it('refuses a damaged backup and changes nothing', async () => {
    const bad = join(f.dir, 'stockbook-bad.db');
    writeFileSync(bad, Buffer.alloc(8192, 7));
    await f.ledger.close();
    await expect(runSafetyCommand('restore', f.path, { from: bad }, () => undefined)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/nothing was restored/) });
    f.ledger = await SqliteLedger.open(f.path);
    expect(tableCounts(f.ledger).movements).toBe(5);
  });

  it('a restore scheduled from Settings is applied at the next start', async () => {
    const b = await runBackup(f.ledger, 'manual');
    await postSome(2);
    scheduleRestore(f.path, b.path);
    expect(pendingRestore(f.path)).toBe(b.path);
    await f.ledger.close();
    const start = await openLedgerSafely(f.path);
    expect(start.safeMode).toBeNull();
    f.ledger = start.ledger!;
    expect(tableCounts(f.ledger).movements).toBe(5);
    expect(pendingRestore(f.path)).toBeNull();
    expect(start.notes.join()).toMatch(/Restored/);
  });
});

describe('daily backup', () => {
  it('starts once a day after the set time, and not again that day', async () => {
    const { safetyOps } = await import('./safety.ops');
    const { createWorkerContext } = await import('../ledger/worker-context');
    const events: unknown[] = [];
    const ops = safetyOps(createWorkerContext(f.ledger, (e, p) => events.push([e, p])));
    setSetting(f.ledger.db, 'backup.dailyAt', '23:59');
    const today = new Date();
    today.setHours(12, 0, 0, 0);
    expect(ops.backupsDailyTick(today.getTime())).toBe(false); // before 23:59
    setSetting(f.ledger.db, 'backup.dailyAt', '00:00');
    expect(ops.backupsDailyTick()).toBe(true);
    expect(ops.backupsDailyTick()).toBe(false); // already running
    await expect.poll(() => events.length, { timeout: 10_000 }).toBe(1);
    expect(events[0]).toMatchObject(['backup.finished', { ok: true }]);
    expect(ops.backupsDailyTick()).toBe(false); // done today
    expect(listBackups(f.ledger.db)[0]).toMatchObject({ reason: 'daily', ok: true });
  });
});
