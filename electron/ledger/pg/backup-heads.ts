import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ChainAnchor, ChainHead } from '../store/chain-anchors';
import { writeWhole } from './pg-backup';

/** A backup's chain head is kept beside its dump as `<dump>.head`. */
export const HEAD_SUFFIX = '.head';

/** What a `.head` file holds: one JSON object. */
interface HeadFile {
  stockbook: 'backup-head';
  database: string;
  dump: string;
  seq: number;
  hash: string;
  qtySum: number | null;
  at: string;
}

/**
 * Writes `<dump>.head`: the chain head the dump holds, outside the database (beside the dump, best on another disk), so
 * `stockbook verify --database … --backups DIR` can hold the chain to it. Someone with the database's keys who
 * re-hashes the chain and rewrites the anchors stored in it is still caught by the head the backup folder keeps.
 * Written whole or not at all (a .partial synced, then renamed, and the folder synced where the system allows it).
 */
export async function writeBackupHead(dump: string, database: string, head: ChainHead, now = new Date()): Promise<string> {
  const file = `${dump}${HEAD_SUFFIX}`;
  const body: HeadFile = { stockbook: 'backup-head', database, dump: basename(dump), seq: head.seq, hash: head.hash, qtySum: head.qtySum ?? null, at: now.toISOString() };
  await writeWhole(file, (partial) => writeFileSync(partial, `${JSON.stringify(body)}\n`, { flag: 'wx' }));
  return file;
}

const isHead = (x: unknown): x is HeadFile => {
  const h = x as Partial<HeadFile> | null;
  return (
    h?.stockbook === 'backup-head' && typeof h.database === 'string' && typeof h.dump === 'string' && Number.isSafeInteger(h.seq) && h.seq! >= 0 &&
    typeof h.hash === 'string' && /^[0-9a-f]{64}$/.test(h.hash) && (h.qtySum === null || Number.isSafeInteger(h.qtySum))
  );
};

/**
 * The chain heads the backups of `database` in `dir` recorded (its `*.head` files), as anchors verify holds the chain
 * to (a mismatch names the file: the chain was rewritten, the ledger was recovered to a point before that backup, or the
 * file is another ledger's of the same name). A head file of another database anchors nothing; one that cannot be
 * read or is not a head file is listed in `unreadable`, for the report to say so.
 */
export function backupHeadAnchors(dir: string, database: string): { anchors: ChainAnchor[]; otherDatabases: number; unreadable: string[] } {
  const out = { anchors: [] as ChainAnchor[], otherDatabases: 0, unreadable: [] as string[] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return out;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(HEAD_SUFFIX)).sort()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch {
      out.unreadable.push(name);
      continue;
    }
    if (!isHead(parsed)) out.unreadable.push(name);
    else if (parsed.database !== database) out.otherDatabases++;
    else if (parsed.seq > 0) out.anchors.push({ seq: parsed.seq, hash: parsed.hash, qtySum: parsed.qtySum, source: `the backup ${parsed.dump} (its head file ${name})` });
  }
  return out;
}
