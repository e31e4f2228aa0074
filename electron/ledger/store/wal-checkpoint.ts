import Database from 'better-sqlite3';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';

/** The WAL checkpoint's SQL (see ../checkpointer.ts): the writer's safety-net threshold and the checkpointer's passes. */

/** Sets how many WAL pages a commit on `db` may leave before that commit checkpoints itself. */
export function setAutocheckpoint(db: Database.Database, pages: number): void {
  db.pragma(`wal_autocheckpoint = ${Math.trunc(pages)}`);
}

/** Opens the checkpointer's own connection: it never waits for a lock and never checkpoints on a commit of its own. */
export function openCheckpointConnection(dbPath: string): Database.Database {
  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('wal_autocheckpoint = 0'); // this connection never writes; its checkpoints are the passive ones
  return db;
}

/** One PASSIVE checkpoint: the WAL's frames and how many of them are now in the ledger file. Throws SQLITE_BUSY as SQLite does. */
export function passiveCheckpoint(db: Database.Database): { log: number; checkpointed: number } {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  return { log: row!.log, checkpointed: row!.checkpointed };
}

/** A TRUNCATE checkpoint: every WAL frame into the ledger file and the WAL emptied (a file about to be renamed or replaced). */
export function truncateCheckpoint(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Reads the WAL's length from the wal-index header in the `-shm` file (https://www.sqlite.org/walformat.html, in this
 * machine's byte order): mxFrame, the frames in the WAL; nBackfill, how many of them are already in the ledger file;
 * and the WAL's first salt, which changes each time the WAL starts over. One small read; no lock, no statement, so the
 * writer can ask between any two transactions. A file that is not there (or too short, or closed) reads as an empty
 * WAL; a file made anew (another inode) is opened again.
 */
export function openWalIndex(dbPath: string): { read(): { frames: number; inFile: number; generation: number }; close(): void } {
  const path = `${dbPath}-shm`;
  const header = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
  const u32 = endianness() === 'LE' ? (at: number) => header.readUInt32LE(at) : (at: number) => header.readUInt32BE(at);
  const empty = { frames: 0, inFile: 0, generation: 0 };
  let file: { fd: number; ino: number } | null = null;
  let closed = false;
  const drop = () => {
    if (file) closeSync(file.fd);
    file = null;
  };
  return {
    read: () => {
      if (closed) return empty;
      try {
        const ino = statSync(path).ino;
        if (file?.ino !== ino) {
          drop();
          const fd = openSync(path, 'r');
          file = { fd, ino: fstatSync(fd).ino };
        }
        if (readSync(file.fd, header, 0, WAL_INDEX_HEADER_BYTES, 0) < WAL_INDEX_HEADER_BYTES) return empty;
      } catch {
        drop();
        return empty;
      }
      return { frames: u32(16), inFile: u32(96), generation: u32(32) };
    },
    close: () => {
      closed = true;
      drop();
    },
  };
}
/** The wal-index header's two copies (48 bytes each) and the checkpoint information after them, up to nBackfill. */
const WAL_INDEX_HEADER_BYTES = 100;
