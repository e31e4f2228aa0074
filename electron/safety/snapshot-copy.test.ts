import Database from 'better-sqlite3';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { tamperLedgerFile } from '../../test/fixtures/tamper';
import { verifyLedger } from '../ledger/store/verify';
import { runBackup } from './backup-service';
import { checkCopy, copyAndCheckSnapshot, type CopyCheck } from './check-copy';
import { checkCopyOffThread } from './check-copy-off-thread';
import { restoreFile } from './restore';
import { copySnapshot, proveCopy } from './snapshot-copy';

let f: Fixture;
const PAGE = 4096;

function post(n: number, from = 0) {
  for (let i = 0; i < n; i++) {
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'supplier_order', qty: 1 + ((from + i) % 9), unitCost: 25 }]), f.ids.admin);
  }
}
const count = (db: Database.Database) => (db.prepare('SELECT COUNT(*) AS n FROM movements').get() as { n: number }).n;

/** Flips one byte in the middle of page `pgno` of a file. */
function flipPage(file: string, pgno: number): void {
  const at = (pgno - 1) * PAGE + PAGE / 2;
  const byte = readFileSync(file).subarray(at, at + 1);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, at);
  closeSync(fd);
}

beforeEach(async () => {
  f = await openFixture();
  // Keep what is posted in the WAL: the snapshot reads those pages from its frames, not from the file.
  f.ledger.db.pragma('wal_autocheckpoint = 0');
  post(40);
});
afterEach(async () => {
  await f.cleanup();
});

describe('copy of one snapshot at the speed of a file copy', () => {
  it('lays the WAL frames the snapshot reads over the file copy: the copy holds every committed movement and passes integrity_check', async () => {
    f.ledger.db.pragma('wal_checkpoint(PASSIVE)');
    post(25, 40); // frames after the last checkpoint: the newest versions of their pages are only in the WAL
    const dest = join(f.dir, 'copy.db');
    const proof = await copySnapshot(f.path, dest);
    expect(proof).toMatchObject({ proven: true, problems: [] });
    expect(proof.fromWal).toBeGreaterThan(0);
    expect(proof.pages).toBe(f.ledger.db.pragma('page_count', { simple: true }));
    const copy = new Database(dest);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count(copy)).toBe(65);
    expect(verifyLedger(copy, { mode: 'full' }).ok).toBe(true);
    copy.close();
  });

  it('a copy made in its own thread while documents are committed beside it is one consistent snapshot', async () => {
    const dest = join(f.dir, 'racing.db');
    const checking = checkCopyOffThread(dest, 'incremental', f.path);
    let posted = 0;
    let done = false;
    void checking.finally(() => (done = true));
    while (!done) {
      post(1, 1000 + posted++);
      await new Promise((r) => setTimeout(r, 1));
    }
    const check = await checking;
    expect(posted).toBeGreaterThan(0);
    expect(check).toMatchObject({ integrityCheck: 'page proof', integrity: 'ok', verifyOk: true, problems: [] });
    const copy = new Database(dest, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = count(copy);
    expect(n).toBeGreaterThanOrEqual(40);
    expect(n).toBeLessThanOrEqual(40 + posted);
    expect(verifyLedger(copy, { mode: 'full' }).ok).toBe(true);
    copy.close();
  });

  it('a clerk commits while the copy is mid-way (a latch between chunks): the commit lands, and the copy is the snapshot from before it, proven', async () => {
    // Enough pages for several chunks of the copy (a chunk is 256 pages).
    const docs = Array.from({ length: 1_000 }, () => f.doc('receipt', Array.from({ length: 10 }, () => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'supplier_order' as const, qty: 3, unitCost: 25 }))));
    f.ledger.poster.postMany(docs, f.ids.admin);
    expect(f.ledger.db.pragma('page_count', { simple: true })).toBeGreaterThan(3 * 256);
    const before = count(f.ledger.db);
    const dest = join(f.dir, 'mid-way.db');
    let chunks = 0;
    let committedAt = -1;
    const proof = await copySnapshot(f.path, dest, {
      afterChunk: () => {
        if (++chunks !== 1) return;
        post(1, 9000); // the writer commits while the copy holds its snapshot, one chunk in
        committedAt = chunks;
      },
    });
    expect(committedAt).toBe(1);
    expect(chunks).toBeGreaterThan(1); // the copy went on after the commit
    expect(count(f.ledger.db)).toBe(before + 1);
    expect(proof).toMatchObject({ proven: true, problems: [] });
    const copy = new Database(dest, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count(copy)).toBe(before);
    expect(verifyLedger(copy, { mode: 'full' }).ok).toBe(true);
    copy.close();
  });

  it('finds a damaged page of the copy, whether the snapshot read that page from the file or from the WAL', async () => {
    f.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    post(10, 40);
    const dest = join(f.dir, 'copy.db');
    const proof = await copySnapshot(f.path, dest);
    expect(proof.problems).toEqual([]);
    expect(proveCopy(dest, f.path).problems).toEqual([]);
    // A page the snapshot reads from the WAL and one it reads from the file.
    const walPages = new Set<number>();
    const wal = readFileSync(`${f.path}-wal`);
    for (let at = 32; at + 24 + PAGE <= wal.length; at += 24 + PAGE) walPages.add(wal.readUInt32BE(at));
    const fromWal = [...walPages].find((p) => p > 1 && p <= proof.pages)!;
    const fromFile = Array.from({ length: proof.pages }, (_, i) => i + 1).find((p) => p > 1 && !walPages.has(p))!;
    flipPage(dest, fromWal);
    flipPage(dest, fromFile);
    expect(proveCopy(dest, f.path).problems).toEqual([`page ${Math.min(fromWal, fromFile)} of the copy differs from the ledger's`, `page ${Math.max(fromWal, fromFile)} of the copy differs from the ledger's`]);
  });

  it('a file not in WAL mode is copied by the backup API under its read lock, and held to the file page for page', async () => {
    const plain = join(f.dir, 'plain.db');
    const db = new Database(plain);
    db.exec("CREATE TABLE t (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT hex(randomblob(200)) FROM n");
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
    const proof = await copySnapshot(plain, join(f.dir, 'plain-copy.db'));
    expect(proof).toMatchObject({ proven: true, fromWal: 0, problems: [] });
    expect(proof.pages).toBeGreaterThan(20);
  });
});

describe('a checked backup holds the copy to the ledger, and the copy to every invariant from the last anchor', () => {
  it('a movement altered in the ledger file after the last anchor: the copy equals the file, and its verify refuses the backup', async () => {
    await runBackup(f.ledger, 'manual', { folder: join(f.dir, 'backups') });
    post(5, 40);
    f.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const victim = f.ledger.db.prepare('SELECT prev_hash, hash FROM movements WHERE seq = 43').get() as { prev_hash: string; hash: string };
    const bytes = readFileSync(f.path);
    const at = bytes.indexOf(Buffer.from(victim.prev_hash + victim.hash, 'latin1'));
    expect(at).toBeGreaterThan(0);
    const fd = openSync(f.path, 'r+');
    writeSync(fd, Buffer.from(bytes[at + 70] === 0x30 ? '1' : '0'), 0, 1, at + 70);
    closeSync(fd);
    await expect(runBackup(f.ledger, 'manual', { folder: join(f.dir, 'backups'), offThread: true })).rejects.toMatchObject({
      message: expect.stringMatching(/did not pass its check .*hash-chain: movement 4[34]/),
    });
  });

  it("a copy's check split over threads, as a first backup of a big ledger's is, gives the one-thread check's answer and catches a movement altered in a later part", async () => {
    const dest = join(f.dir, 'split.db');
    const whole = await copyAndCheckSnapshot(f.path, dest, 'full', { parts: 1 });
    const split = await checkCopy(dest, 'full', undefined, { parts: 3, minMovements: 1 });
    const answer = (c: CopyCheck) => ({ ok: c.verifyOk, integrity: c.integrity, movements: c.movements, head: c.head, problems: c.problems, from: c.verifyFrom });
    expect(whole).toMatchObject({ verifyOk: true, movements: 40, verifyFrom: 'full' });
    expect(answer(split)).toEqual(answer(whole));
    const last = whole.head!.seq;
    tamperLedgerFile(dest, (raw) => raw.prepare('UPDATE movements SET unit_cost = unit_cost + 1 WHERE seq = ?').run(last));
    const altered = await checkCopy(dest, 'full', undefined, { parts: 3, minMovements: 1 });
    expect(altered.verifyOk).toBe(false);
    expect(altered.problems.join('\n')).toContain(`movement ${last}: content does not match its hash (altered)`);
    expect(answer(altered)).toEqual(answer(await checkCopy(dest, 'full', undefined, { parts: 1 })));
  });

  it('a damaged index page of the ledger file goes into the copy unseen by the backup, and the restore of that copy refuses it', async () => {
    f.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const leaves = f.ledger.db.prepare("SELECT pageno FROM dbstat WHERE name = 'IDX_movements_user_occurred' ORDER BY pageno").all() as { pageno: number }[];
    const page = leaves[0]!.pageno;
    const fd = openSync(f.path, 'r+');
    writeSync(fd, Buffer.alloc(PAGE, 0xab), 0, PAGE, (page - 1) * PAGE);
    closeSync(fd);
    // The page check of the live file is the full check after start (full-check.test.ts); the backup copies the file as it is.
    const b = await runBackup(f.ledger, 'manual', { folder: join(f.dir, 'backups') });
    expect(b.ok).toBe(true);
    await expect(restoreFile(join(f.dir, 'elsewhere.db'), b.path)).rejects.toThrow(/did not pass its check .*nothing was restored/);
  });
});
