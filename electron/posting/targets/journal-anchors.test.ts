import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalAnchors, journalAnchorsAsync, type JournalBatch } from './journal-anchors';

/**
 * The chain heads read from hledger journals (both stores' verify): the marker lines found wherever they fall in a
 * journal read a piece at a time, the same by the blocking and the non-blocking reader, and a path that is not a
 * readable file anchoring nothing instead of stopping verify.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-journal-anchors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hash = (c: string) => c.repeat(64);
const mark = (c: string) => c.repeat(32);
const marker = (batch: number, seq: number, h: string, m?: string) => `; stockbook begin batch=${batch} chunk=0 chain=${seq}:${h}${m ? ` mark=${m}` : ''}`;
const both = async (batches: JournalBatch[]) => {
  const sync = journalAnchors(batches);
  expect(await journalAnchorsAsync(batches)).toEqual(sync);
  return sync;
};

describe('the chain heads in the hledger journals', () => {
  it('finds every marker of this ledger in a journal larger than one read, one of them across the boundary between two reads', async () => {
    const path = join(dir, 'books.journal');
    const PIECE = 4 * 1024 * 1024;
    const first = `${marker(1, 10, hash('a'), mark('1'))}\n`;
    const filler = (bytes: number) => `${'    ; padding line of a journal entry\n'.repeat(Math.ceil(bytes / 38))}`.slice(0, bytes - 1) + '\n';
    const head = `; journal\n${first}`;
    const before = filler(PIECE - head.length - 20); // the second marker starts 20 bytes before the first read ends
    const second = `${marker(2, 20, hash('b'), mark('2'))}\n`;
    const foreign = `${marker(2, 30, hash('c'), mark('9'))}\n`; // another ledger's batch 2: not ours
    const notFirstChunk = '; stockbook begin batch=2 chunk=1\n';
    writeFileSync(path, head + before + second + filler(PIECE) + foreign + notFirstChunk + `    ${marker(3, 40, hash('d'), mark('3'))} (not at a line start)\n`);
    const batches: JournalBatch[] = [1, 2, 3].map((id) => ({ id, target: `hledger:${path}`, start: null, mark: mark(String(id)) }));
    expect(await both(batches)).toEqual([
      { seq: 10, hash: hash('a'), source: `posting batch 1 in the journal ${path}` },
      { seq: 20, hash: hash('b'), source: `posting batch 2 in the journal ${path}` },
    ]);
  });

  it('reads a batch from before marks only at the offset this ledger recorded it starting', async () => {
    const path = join(dir, 'old.journal');
    const lead = '; journal\n';
    writeFileSync(path, `${lead}\n${marker(1, 5, hash('e'))}\n\n${marker(1, 6, hash('f'))}\n`);
    const at = (start: number): JournalBatch => ({ id: 1, target: `hledger:${path}`, start, mark: null });
    expect(await both([at(lead.length)])).toEqual([{ seq: 5, hash: hash('e'), source: `posting batch 1 in the journal ${path}` }]);
    expect(await both([at(lead.length + 1)])).toEqual([]); // not where a marker begins
  });

  it('a journal that is missing, a folder or a pipe anchors nothing, and verify goes on', async () => {
    const folder = join(dir, 'a-folder.journal');
    mkdirSync(folder);
    const fifo = join(dir, 'a-pipe.journal');
    execFileSync('mkfifo', [fifo]); // reading it would wait for a writer for ever
    const batches = [join(dir, 'missing.journal'), folder, fifo].map((p, i): JournalBatch => ({ id: i + 1, target: `hledger:${p}`, start: 0, mark: mark(String(i + 1)) }));
    expect(await both(batches)).toEqual([]);
  });
});
