import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/contract/errors';

/**
 * A file target's own id: a random whole number below 2^48 (exact in JS and in a bigint) that a CSV folder keeps in
 * stockbook-folder.id and an hledger journal in its head (or, begun by an older Stockbook, in PATH.stockbook-id). Each
 * batch records the id of the target it began in (journal_batches.target_id), and is continued only in a target
 * holding that id: two Stockbook servers with targets of their own at the same path never both write one batch.
 */
export function newTargetId(): number {
  return randomInt(1, 2 ** 48);
}

/** Whether a number read back is an id Stockbook could have made. */
export function isTargetId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0 && id < 2 ** 48;
}

/** The id kept in an id file, or null when there is none; refuses a file that holds anything else. */
export function readIdFile(file: string, what: 'folder' | 'journal'): number | null {
  if (!existsSync(file)) return null;
  const id = Number(readFileSync(file, 'utf8').trim());
  if (!isTargetId(id)) {
    throw new AppError('CONFLICT', `${file} does not hold a ${what} id Stockbook wrote. Put back the number it held (a batch's ${what} id), or delete it if no batch was ever posted to this ${what}, then post again.`);
  }
  return id;
}

/** Makes a new id and keeps it durably in an id file (made once, under the posting claim). */
export function makeIdFile(file: string): number {
  const id = newTargetId();
  writeDurably(file, `${id}\n`);
  return id;
}

/** Writes a whole file durably: to a temporary name, fsynced, renamed over the file, and the folder fsynced. */
export function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), 'r');
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    // Windows cannot open a folder for fsync; the rename is already durable there.
  }
}
