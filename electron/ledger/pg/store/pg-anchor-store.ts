import type pg from 'pg';
import { AppError } from '../../../../shared/contract/errors';
import type { AnchorSource, ChainAnchor, ChainHead } from '../../store/chain-anchors';
import { GENESIS_HASH } from '../../store/movement-hash';
import { lockChain } from './pg-ledger-store';
import { HLEDGER_PREFIX } from '../../../posting/targets/hledger-file';
import { journalAnchorsAsync, type JournalBatch } from '../../../posting/targets/journal-anchors';

/** The newest movement's seq and hash, in the client's snapshot (seq 0 and the genesis hash on an empty ledger). */
export async function pgChainHead(c: pg.ClientBase): Promise<ChainHead> {
  return (await c.query<{ seq: number; hash: string }>('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1')).rows[0] ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Runs `inSnapshot` while a snapshot is held open and exported (for pg_dump --snapshot), with the chain head in that snapshot:
 * what a dump taken in it holds. The snapshot's transaction only reads, and ends when `inSnapshot` does.
 */
export async function withExportedSnapshot<T>(pool: pg.Pool, inSnapshot: (snapshot: string, head: ChainHead) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await c.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    return await inSnapshot(snapshot, await pgChainHead(c));
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
    c.release();
  }
}

/**
 * Records a chain head as an anchor on PostgreSQL (chain_anchors, append-only), with the running sum of quantities:
 * under CHAIN_LOCK_KEY, so no server posts between reading the head and writing it, and the sum is the newest anchor's
 * sum plus the movements after it (a range read). `at`: a head read earlier (a backup's snapshot) instead of the
 * current one; a head this chain does not hold at that seq is refused and nothing is written. Returns the head, for the
 * caller to keep outside the database too.
 */
export async function recordPgAnchor(pool: pg.Pool, source: AnchorSource, ref: number | null, now = Date.now(), at?: ChainHead): Promise<ChainHead & { qtySum: number }> {
  const c = await pool.connect();
  try {
    // READ COMMITTED whatever the database's default, so the head read after the lock is the newest committed one.
    await c.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    await lockChain(c);
    const head = at ?? (await pgChainHead(c));
    // A head read earlier must still be this chain's at its seq (the current head, just read, is by its reading).
    const stored = async (seq: number) => (seq === 0 ? GENESIS_HASH : (await c.query<{ hash: string }>('SELECT hash FROM movements WHERE seq = $1', [seq])).rows[0]?.hash);
    if (at && (await stored(at.seq)) !== at.hash) {
      throw new AppError(
        'CONFLICT',
        `The chain head to anchor (movement ${head.seq}) is not the one this ledger holds, so no anchor was recorded. Run "stockbook verify --full --database …" on the ledger.`,
      );
    }
    const from = (await c.query<{ seq: number; qty_sum: number }>('SELECT seq, qty_sum FROM chain_anchors WHERE qty_sum IS NOT NULL AND seq <= $1 ORDER BY seq DESC, id DESC LIMIT 1', [head.seq])).rows[0];
    const after = (await c.query<{ q: number }>('SELECT COALESCE(SUM(qty), 0)::bigint AS q FROM movements WHERE seq > $1 AND seq <= $2', [from?.seq ?? 0, head.seq])).rows[0]!.q;
    const anchored = { seq: head.seq, hash: head.hash, qtySum: (from?.qty_sum ?? 0) + after };
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

/**
 * Every anchor the PostgreSQL ledger holds, named as SQLite names its own ("chain anchor 3 (backup)"). Verified (an
 * incremental verify may start there) only where a verify pass reached it: a full check's. A backup's anchor is not:
 * pg_restore reads the dump back as an archive but no pass re-hashes its chain (SQLite's checked backup verifies its
 * copy before it anchors, so there a 'backup' anchor is verified).
 */
export async function pgStoredAnchors(c: pg.ClientBase): Promise<ChainAnchor[]> {
  return (await c.query<ChainAnchor>(
    `SELECT seq, hash, qty_sum AS "qtySum", source = 'check' AS verified,
       'chain anchor ' || id || ' (' || source || COALESCE(' ' || ref, '') || ')' AS source
     FROM chain_anchors WHERE seq > 0 ORDER BY seq, id`,
  )).rows;
}

/**
 * The chain heads the hledger journals on this machine hold for this ledger's batches to them (journal-anchors.ts):
 * anchors kept outside the database, read in the client's snapshot, so a chain re-hashed together with every anchor
 * stored in the database is still caught. SQLite's verify reads the same (safety/external-anchors-store.ts).
 */
export async function pgJournalAnchors(c: pg.ClientBase): Promise<ChainAnchor[]> {
  const batches = (await c.query<JournalBatch>('SELECT id, target, target_start AS start, mark FROM journal_batches WHERE target LIKE $1 AND chain_seq > 0 ORDER BY id', [`${HLEDGER_PREFIX}%`])).rows;
  return journalAnchorsAsync(batches);
}
