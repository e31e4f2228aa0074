import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { insertLines, PgPostingStore } from './pg-posting-store';
import type { StagedLine } from './posting-store';

/**
 * A chunk's journal lines go to PostgreSQL by COPY (text format): every value comes back as it was written, whatever
 * characters a document's reference or a product's name put into a line's description (a backslash, a tab, a line
 * break, "\N", quotes, non-Latin letters), a line without a movement (a value credit's) keeps its NULL, and the lines'
 * ids follow their order.
 */
let cluster: TestCluster;
let f: PgFixture;

beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
}, 60_000);
afterAll(async () => {
  await f?.close();
  cluster?.stop();
});

describe('journal lines written by COPY on PostgreSQL', () => {
  it('come back exactly as written, in order, NULL movement kept', async () => {
    const store = new PgPostingStore(f.pool);
    const batchId = await store.createBatch({ target: 'builtin', postedTo: 0, summarised: false, userId: f.ids.admin, now: 0, lastEntry: 0, targetStart: null, targetId: null });
    const descriptions = ['Receipt GRN-1 Arborio rice', 'back\\slash \\N and \\t literally', 'tab\there', 'line\nbreak', 'carriage\rreturn', '\\N', '', '"quoted" \'single\'', 'Größe 5 · 東京 · ☕', 'trailing backslash \\'];
    const lines: StagedLine[] = descriptions.flatMap((description, i) => [
      { entryNo: i + 1, entryDate: 1_764_000_000_000 + i, account: '1000', amount: 2 ** 40 + i, movementType: 'stock_receipt', movementSeq: i % 3 === 2 ? null : i + 1, description },
      { entryNo: i + 1, entryDate: 1_764_000_000_000 + i, account: 'A\\1\t2', amount: -(2 ** 40 + i), movementType: 'stock_receipt', movementSeq: i % 3 === 2 ? null : i + 1, description },
    ]);
    await pgTransaction(f.pool, (c) => insertLines(c, batchId, 7, lines));
    const back = await f.pool.query<StagedLine & { batchId: number; chunkNo: number }>(
      `SELECT batch_id AS "batchId", chunk_no AS "chunkNo", entry_no AS "entryNo", entry_date AS "entryDate", account, amount, movement_type AS "movementType", movement_seq AS "movementSeq", description
       FROM journal_lines ORDER BY id`,
    );
    expect(back.rows).toEqual(lines.map((l) => ({ batchId, chunkNo: 7, ...l })));
  });
});
