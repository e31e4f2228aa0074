import type { MigrationInterface, QueryRunner } from 'typeorm';
import { unpackLines } from '../../posting/line-pack';

interface PackRow {
  batch_id: number;
  chunk_no: number;
  numbers: Uint8Array;
  names: string;
}

/**
 * Issue 15, finance posting at disk speed. A chunk posted to a file target (an hledger journal, a CSV folder) keeps its
 * journal lines packed, one row per chunk (`journal_chunk_packs`, electron/posting/line-pack.ts) instead of a
 * `journal_lines` row per line: the file is that target's journal, and the pack is read back only to write the chunk
 * again after a crash and to reverse the batch. The built-in general ledger keeps its lines as rows. Batches posted
 * before this migration keep their rows; readers take a chunk's pack when it has one, else its rows. SQLite only for
 * now (PG_PENDING_TABLES): PostgreSQL keeps rows.
 */
export class JournalChunkPacks1732400004100 implements MigrationInterface {
  name = 'JournalChunkPacks1732400004100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "journal_chunk_packs" (
      "batch_id" integer NOT NULL,
      "chunk_no" integer NOT NULL,
      "numbers" blob NOT NULL,
      "names" text NOT NULL,
      PRIMARY KEY ("batch_id", "chunk_no"),
      CONSTRAINT "FK_journal_chunk_packs_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`);
  }

  /** Back to a row per line: each pack's lines become journal_lines rows (as 0039 keeps them) with their range, then the table goes. */
  async down(q: QueryRunner): Promise<void> {
    const packs = (await q.query('SELECT batch_id, chunk_no, numbers, names FROM journal_chunk_packs ORDER BY batch_id, chunk_no')) as PackRow[];
    for (const p of packs) {
      const lines = unpackLines({ numbers: Buffer.from(p.numbers), names: p.names });
      if (lines.length === 0) continue;
      const [{ last }] = (await q.query('SELECT COALESCE(MAX(id), 0) AS last FROM journal_lines')) as [{ last: number }];
      let entry = Number.NaN;
      for (const [i, l] of lines.entries()) {
        await q.query(
          `INSERT INTO journal_lines (id, batch_id, chunk_no, entry_no, entry_date, account, amount, movement_type, movement_seq, description)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [last + 1 + i, p.batch_id, p.chunk_no, l.entryNo, l.entryDate, l.account, l.amount, l.movementType, l.movementSeq, l.entryNo === entry ? '' : l.description],
        );
        entry = l.entryNo;
      }
      await q.query('INSERT INTO journal_chunk_lines (batch_id, chunk_no, first_line, last_line) VALUES (?, ?, ?, ?)', [p.batch_id, p.chunk_no, last + 1, last + lines.length]);
    }
    await q.query(`DROP TABLE "journal_chunk_packs"`);
  }
}
