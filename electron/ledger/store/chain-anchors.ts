import type Database from 'better-sqlite3';
import { GENESIS_HASH } from './movement-hash';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** Where an anchor came from: an in-database record, or a copy outside the database (a backup file). */
export interface ChainAnchor extends ChainHead {
  source: string;
}

export type AnchorSource = 'backup' | 'posting' | 'check';

/** The newest movement's seq and hash (seq 0 and the genesis hash on an empty ledger). */
export function chainHead(db: Database.Database): ChainHead {
  const row = db.prepare('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined;
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

/** Records the chain head (by default the current one) as an anchor; append-only. */
export function recordAnchor(db: Database.Database, source: AnchorSource, ref: number | null, head: ChainHead = chainHead(db), now = Date.now()): ChainHead {
  db.prepare('INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref) VALUES (?, ?, ?, ?, ?)').run(head.seq, head.hash, now, source, ref);
  return head;
}

/** Every anchor the database holds: its own table, and the head each backup and posting batch recorded. */
export function storedAnchors(db: Database.Database): ChainAnchor[] {
  return db
    .prepare(
      `SELECT seq, hash, 'chain anchor ' || id || ' (' || source || IFNULL(' ' || ref, '') || ')' AS source FROM chain_anchors WHERE seq > 0
       UNION ALL SELECT chain_seq, chain_hash, 'backup ' || id FROM backups WHERE chain_seq > 0
       UNION ALL SELECT chain_seq, chain_hash, 'posting batch ' || id FROM journal_batches WHERE chain_seq > 0`,
    )
    .all() as ChainAnchor[];
}
