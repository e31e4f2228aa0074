import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOnStore } from '../../../test/fixtures/demo-on-store';
import { HLEDGER, hasHledger, hledgerBalances } from '../../../test/fixtures/hledger';
import { doc } from '../../../test/fixtures/ledger';
import { closeVerified, openPostingUnderTest, type PostingLedger, type PostingUnderTest } from '../../../test/fixtures/posting-under-test';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';
import { runPosting } from '../batch-runner';
import type { PostingStoreApi } from '../posting-store-api';
import { declaredCommodities, formatAmount } from './hledger-file';

/**
 * The hledger journal file a batch posts to, on the configured store (test/fixtures/store-under-test.ts): SQLite's
 * HledgerFileTarget or PostgreSQL's PgHledgerTarget (the same file code), over the demo ledger (test/fixtures/demo-on-store.ts)
 * and over a small one.
 */
const cluster = clusterForConfiguredStore();

describe(`hledger journal file target, on ${STORE_UNDER_TEST}`, () => {
  let d: PostingLedger;
  let file: string;

  beforeAll(async () => {
    d = await demoOnStore(cluster(), { movements: 12_000, end: new Date(Date.UTC(2026, 0, 1)) });
    file = join(d.dir, 'books.journal');
  }, 300_000);
  afterAll(() => d && closeVerified(d), 120_000);

  it('counts every entry tag once: across the 4 MiB reads (a tag split at each boundary) and after multi-byte descriptions', async () => {
    const path = join(d.dir, 'count.journal');
    const entry = (n: number) => `\n2026-01-01 (${n}) Réception café ½ — n°${n}  ; batch:1\n    1200  1.0000 GBP\n    5000  -1.0000 GBP\n`;
    const parts = ['; head\n'];
    let bytes = parts[0]!.length;
    const add = (t: string) => {
      parts.push(t);
      bytes += Buffer.byteLength(t);
    };
    let n = 0;
    for (const boundary of [4, 8, 12].map((m) => m * 1024 * 1024)) {
      // fill up to a few bytes before the boundary, then an entry whose tag starts 5 bytes before it
      while (bytes < boundary - 200) add(entry(++n));
      const head = `\n2026-01-01 (${++n}) x`;
      add(' '.repeat(boundary - bytes - 5 - head.length) + `${head}  ; batch:1\n`);
    }
    add(entry(++n));
    const text = parts.join('');
    writeFileSync(path, text);
    expect(text.split('  ; batch:').length - 1).toBe(n);
    expect(await (await d.openTarget(`hledger:${path}`)).entriesHeld()).toBe(n);
  });

  it('holds appended chunks unsynced and unmarked while more follow, then marks them together; after a crash in between they are appended again exactly once', async () => {
    const path = join(d.dir, 'held.journal');
    const target = await d.openTarget(`hledger:${path}`);
    const unmarked = async () =>
      Number((await d.rows<{ n: number }>('SELECT COUNT(*) AS n FROM journal_chunks c JOIN journal_batches b ON b.id = c.batch_id WHERE b.target = ? AND c.exported_end IS NULL', [target.key]))[0]!.n);
    // just before the fourth chunk commits: what the first three left, in the file and in the journal tables
    let beforeFourth: { unmarked: number; inFile: boolean[] } | undefined;
    const looking: PostingStoreApi = new Proxy(d.store, {
      get(store, key) {
        const v: unknown = Reflect.get(store, key, store);
        if (key !== 'commitChunk') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(store) : v;
        return (...args: Parameters<PostingStoreApi['commitChunk']>) => {
          if (args[1] !== 3) return store.commitChunk(...args);
          return (async () => {
            const text = readFileSync(path, 'utf8');
            beforeFourth = { unmarked: await unmarked(), inFile: [2, 3].map((c) => new RegExp(`^; stockbook begin batch=\\d+ chunk=${c}\\b`, 'm').test(text)) };
            return store.commitChunk(...args);
          })();
        };
      },
    });
    const r = await runPosting(looking, target, { to: Date.UTC(2025, 6, 1), summarised: false, userId: 1, chunkSize: 500 });
    expect(r.entryCheckOk).toBe(true);
    // the first three are in the file (the fourth not yet) but not yet marked
    expect(beforeFourth).toEqual({ unmarked: 3, inFile: [true, false] });
    expect(await unmarked()).toBe(0);
    const written = readFileSync(path, 'utf8');
    // a crash before the marks: the last three chunks' marks never written, the target's memory gone
    await d.rows('UPDATE journal_chunks SET exported_end = NULL WHERE batch_id = ? AND chunk_no >= (SELECT MAX(chunk_no) - 2 FROM journal_chunks WHERE batch_id = ?)', [r.batchId, r.batchId]);
    await (await d.openTarget(`hledger:${path}`)).sync();
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(await unmarked()).toBe(0);
    // the movements go back to unposted for the tests below
    await d.reverse(target, r.batchId);
  });

  it('formats exact amounts', () => {
    expect(formatAmount(-123_456, 'GBP')).toBe('-12.3456 GBP');
    expect(formatAmount(5, 'EUR')).toBe('0.0005 EUR');
  });

  it('reads the commodity of each commodity directive in a journal head, whatever its sample amount’s form', () => {
    const head = 'commodity 1,000.0000 GBP\naccount 1200\ncommodity EUR  ; euro\ncommodity $1000.00\ncommodity 1.000,00 "AB 1"\n; commodity XYZ\n';
    expect(declaredCommodities(head)).toEqual(['GBP', 'EUR', '$', 'AB 1']);
    expect(declaredCommodities('account 1200\n')).toEqual([]);
  });

  it.skipIf(!hasHledger)('a demo database posts to a journal that passes hledger check, and hledger balances equal ours', async () => {
    const target = await d.openTarget(`hledger:${file}`);
    const mid = Date.UTC(2025, 6, 1);
    const first = await runPosting(d.store, target, { to: mid, summarised: false, userId: 1, chunkSize: 1_000 });
    const second = await runPosting(d.store, target, { to: Date.UTC(2026, 1, 1), summarised: true, userId: 1, chunkSize: 1_000 });
    expect(first.movementCount).toBeGreaterThan(1_000);
    expect(second.movementCount).toBeGreaterThan(1_000);
    expect(first.entryCheckOk && second.entryCheckOk).toBe(true);
    expect(second.lastEntryBefore).toBe(first.lastEntryAfter);
    execFileSync(HLEDGER, ['-f', file, 'check', '--strict'], { encoding: 'utf8' });
    const ours = Object.fromEntries((await d.trialBalance(target.key)).rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
    expect(hledgerBalances(file)).toEqual(ours);
    expect(await target.findBatch(first.batchId)).toEqual({ found: true, entries: first.entryCount });
    expect((await target.chartOfAccounts()).map((a) => a.code)).toContain('1200');

    // a crash after the append but before the database recorded it: the next sync rewrites the chunk once
    const sizeBefore = readFileSync(file).length;
    await d.rows('UPDATE journal_chunks SET exported_end = NULL WHERE batch_id = ? AND chunk_no = (SELECT MAX(chunk_no) FROM journal_chunks WHERE batch_id = ?)', [second.batchId, second.batchId]);
    await target.sync();
    expect(readFileSync(file).length).toBe(sizeBefore);
    expect(hledgerBalances(file)).toEqual(ours);

    // reversal: the mirror lands in the file too and the books net to zero for that batch
    const rev = await d.reverse(target, second.batchId);
    expect(rev.entryCheckOk).toBe(true);
    const afterRev = Object.fromEntries((await d.trialBalance(target.key)).rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
    expect(hledgerBalances(file)).toEqual(afterRev);
    execFileSync(HLEDGER, ['-f', file, 'check', '--strict'], { encoding: 'utf8' });
  }, 120_000);

  it('refuses to post when a rule account is missing from the file chart, naming it', async () => {
    const other = join(d.dir, 'small.journal');
    writeFileSync(other, 'account 1200  ; Stock\n');
    const t = await d.openTarget(`hledger:${other}`);
    await expect(runPosting(d.store, t, { to: Date.UTC(2026, 1, 1), summarised: false, userId: 1 })).rejects.toThrow(/2100.*do not exist in hledger journal/);
  });
});

describe(`an hledger journal that is not the file a pending batch was written to, on ${STORE_UNDER_TEST}`, () => {
  let f: PostingUnderTest;
  const T0 = Date.UTC(2026, 0, 5, 9);
  beforeAll(async () => {
    f = await openPostingUnderTest(cluster());
    for (let i = 0; i < 20; i++) {
      await f.core.post(doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 1_000, unitCost: 15_000 + i }], { occurredAt: new Date(T0 + i * 60_000).toISOString() }), f.ids.admin);
    }
  });
  afterAll(() => f && closeVerified(f));

  it('is neither cut nor appended to (another server’s journal at the same path), and the batch’s own file is healed once', async () => {
    const path = join(f.dir, 'books.journal');
    const target = await f.openTarget(`hledger:${path}`);
    await runPosting(f.store, target, { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin, chunkSize: 5 });
    const own = readFileSync(path, 'utf8');
    // as if killed after writing chunks 1-3 of batch 1 but before recording them
    const chunk1 = Number((await f.rows<{ e: number }>('SELECT exported_end AS e FROM journal_chunks WHERE batch_id = 1 AND chunk_no = 0'))[0]!.e);
    await f.rows('UPDATE journal_chunks SET exported_end = NULL WHERE batch_id = 1 AND chunk_no > 0');
    const other = own.slice(0, chunk1).replace(/batch=1 /g, 'batch=7 ').replace(/batch:1\n/g, 'batch:7\n');
    // another journal at this path: batch 7's text where batch 1 continues, then ending exactly where batch 1's chunk 0 ended
    for (const text of [`${other}\n; stockbook begin batch=7 chunk=1\n`, other]) {
      writeFileSync(path, text);
      await expect((async () => target.sync())()).rejects.toThrow(/does not hold batch 1 where Stockbook left it .*Nothing was cut or written\./);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
    writeFileSync(path, own);
    await target.sync();
    expect(readFileSync(path, 'utf8')).toBe(own);
  });
});
