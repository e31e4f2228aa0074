import type Database from 'better-sqlite3';
import type { MovementRow } from '../ledger/entities/document.entities';
import type { TailReads } from './fast-verify';
import { hashMovementContent, movementHashContentSql } from '../ledger/store/movement-hash';

/** A movement of the newest ones as the start-up check reads it: its chain, balance, and its hash made again from its content. */
export type TailRow = Pick<MovementRow, 'seq' | 'prev_hash' | 'hash' | 'product_id' | 'site_id' | 'qty' | 'balance_after'> & { rehash: string };

/** One of the newest documents: its movements' count, first and last seq and highest line number (null without movements). */
export interface DocumentSpan {
  id: number;
  n: number;
  a: number | null;
  b: number | null;
  ln: number | null;
}

/**
 * The SQL of the start-up check (fast-verify.ts): reads whose cost does not grow with the ledger — the top seq, the
 * movements after a seq, one movement's hash, the newest documents' spans, and a product/site's stock levels read
 * through the level key's index, never more than `levelsPerPair + 1` rows.
 */
export class FastVerifyStore implements TailReads {
  private readonly s;

  constructor(db: Database.Database, levelsPerPair: number) {
    this.s = {
      top: db.prepare('SELECT IFNULL(MAX(seq), 0) AS top FROM movements'),
      // The hashed text built by SQLite, one string per row, as the full verify's scan reads it.
      tail: db.prepare(`SELECT seq, prev_hash, hash, product_id, site_id, qty, balance_after, ${movementHashContentSql()} AS content FROM movements WHERE seq > ? ORDER BY seq`),
      hash: db.prepare('SELECT hash FROM movements WHERE seq = ?'),
      documents: db.prepare(
        `SELECT d.id, COUNT(m.seq) AS n, MIN(m.seq) AS a, MAX(m.seq) AS b, MAX(m.line_no) AS ln FROM
         (SELECT id FROM documents ORDER BY id DESC LIMIT 200) d LEFT JOIN movements m ON m.document_id = d.id GROUP BY d.id`,
      ),
      levels: db.prepare(`SELECT COUNT(*) AS n, IFNULL(SUM(qty), 0) AS q FROM (SELECT qty FROM stock_levels WHERE product_id = ? AND site_id = ? LIMIT ${levelsPerPair + 1})`),
    };
  }

  /** The highest movement seq (0 for no movements). */
  topSeq(): number {
    return (this.s.top.get() as { top: number }).top;
  }

  /** The movements after `seq`, in seq order, each hashed again from the text SQLite built of it. */
  movementsAfter(seq: number): TailRow[] {
    return (this.s.tail.all(seq) as (Omit<TailRow, 'rehash'> & { content: string })[]).map(({ content, ...r }) => ({ ...r, rehash: hashMovementContent(content) }));
  }

  /** Movement `seq`'s hash, or undefined when there is no such movement. */
  movementHash(seq: number): Pick<MovementRow, 'hash'> | undefined {
    return this.s.hash.get(seq) as Pick<MovementRow, 'hash'> | undefined;
  }

  /** The newest 200 documents with the span of their movements. */
  newestDocuments(): DocumentSpan[] {
    return this.s.documents.all() as DocumentSpan[];
  }

  /** For each product/site: how many stock levels it has (up to levelsPerPair + 1) and the sum of their quantities. */
  levels(pairs: readonly (readonly [number, number])[]): { n: number; q: number }[] {
    return pairs.map(([productId, siteId]) => this.s.levels.get(productId, siteId) as { n: number; q: number });
  }
}
