import type pg from 'pg';
import type { AnchorSource, ChainAnchor, ChainHead } from '../../store/chain-anchors';
import { GENESIS_HASH } from '../../store/movement-hash';
import { lockChain } from './pg-ledger-store';

/**
 * Records the chain head as an anchor on PostgreSQL (chain_anchors, append-only), with the running sum of quantities:
 * under CHAIN_LOCK_KEY, so no server posts between reading the head and writing it, and the sum is the newest anchor's
 * sum plus the movements after it (a range read). Returns the head, for the caller to keep outside the database too.
 */
export async function recordPgAnchor(pool: pg.Pool, source: AnchorSource, ref: number | null, now = Date.now()): Promise<ChainHead & { qtySum: number }> {
  const c = await pool.connect();
  try {
    // READ COMMITTED whatever the database's default, so the head read after the lock is the newest committed one.
    await c.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    await lockChain(c);
    const head = (await c.query<{ seq: number; hash: string }>('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1')).rows[0] ?? { seq: 0, hash: GENESIS_HASH };
    const from = (await c.query<{ seq: number; qty_sum: number }>('SELECT seq, qty_sum FROM chain_anchors WHERE qty_sum IS NOT NULL AND seq <= $1 ORDER BY seq DESC, id DESC LIMIT 1', [head.seq])).rows[0];
    const after = (await c.query<{ q: number }>('SELECT COALESCE(SUM(qty), 0)::bigint AS q FROM movements WHERE seq > $1 AND seq <= $2', [from?.seq ?? 0, head.seq])).rows[0]!.q;
    const anchored = { ...head, qtySum: (from?.qty_sum ?? 0) + after };
    await c.query('INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref, qty_sum) VALUES ($1, $2, $3, $4, $5, $6)', [anchored.seq, anchored.hash, now, source, ref, anchored.qtySum]);
    await c.query('COMMIT');
    return anchored;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** Every anchor the PostgreSQL ledger holds, named as SQLite names its own ("chain anchor 3 (backup)"). */
export async function pgStoredAnchors(c: pg.ClientBase): Promise<ChainAnchor[]> {
  return (await c.query<ChainAnchor>(
    `SELECT seq, hash, qty_sum AS "qtySum", source IN ('backup', 'check') AS verified,
       'chain anchor ' || id || ' (' || source || COALESCE(' ' || ref, '') || ')' AS source
     FROM chain_anchors WHERE seq > 0 ORDER BY seq, id`,
  )).rows;
}
