import type pg from 'pg';
import { hashMovement, MOVEMENT_COLUMNS, type MovementRow } from '../ledger/store/movement-hash';
import type { TailReads } from './fast-verify';
import type { DocumentSpan, TailRow } from './fast-verify-store';

/**
 * The start-up check's reads on PostgreSQL (the twin of FastVerifyStore), on one connection the caller holds in one
 * REPEATABLE READ snapshot: other servers may be posting while this one starts, and the newest movements, documents and
 * levels must be read as of one moment. None of the reads grows with the ledger.
 */
export class PgFastVerifyStore implements TailReads {
  constructor(
    private readonly c: pg.ClientBase,
    private readonly levelsPerPair: number,
  ) {}

  async topSeq(): Promise<number> {
    return (await this.c.query<{ top: number }>('SELECT COALESCE(MAX(seq), 0)::bigint AS top FROM movements')).rows[0]!.top;
  }

  async movementsAfter(seq: number): Promise<TailRow[]> {
    const rows = (await this.c.query<MovementRow>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements WHERE seq > $1 ORDER BY seq`, [seq])).rows;
    return rows.map((r) => ({ seq: r.seq, prev_hash: r.prev_hash, hash: r.hash, product_id: r.product_id, site_id: r.site_id, qty: r.qty, balance_after: r.balance_after, rehash: hashMovement(r.prev_hash, r) }));
  }

  async movementHash(seq: number): Promise<{ hash: string } | undefined> {
    return (await this.c.query<{ hash: string }>('SELECT hash FROM movements WHERE seq = $1', [seq])).rows[0];
  }

  async newestDocuments(): Promise<DocumentSpan[]> {
    return (await this.c.query<DocumentSpan>(
      `SELECT d.id, COUNT(m.seq) AS n, MIN(m.seq) AS a, MAX(m.seq) AS b, MAX(m.line_no) AS ln FROM
       (SELECT id FROM documents ORDER BY id DESC LIMIT 200) d LEFT JOIN movements m ON m.document_id = d.id GROUP BY d.id`,
    )).rows;
  }

  /** Every pair's levels in one statement (a round trip each would make a start far from the database slow). */
  async levels(pairs: readonly (readonly [number, number])[]): Promise<{ n: number; q: number }[]> {
    return (await this.c.query<{ n: number; q: number }>(
      `SELECT l.n, l.q FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS k(product_id, site_id, i)
       CROSS JOIN LATERAL (SELECT COUNT(*) AS n, COALESCE(SUM(qty), 0) AS q FROM (SELECT qty FROM stock_levels s WHERE s.product_id = k.product_id AND s.site_id = k.site_id LIMIT $3) x) l
       ORDER BY k.i`,
      [pairs.map(([p]) => p), pairs.map(([, s]) => s), this.levelsPerPair + 1],
    )).rows;
  }
}
