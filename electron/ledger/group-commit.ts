import type Database from 'better-sqlite3';
import { closeSync, fstatSync, fsyncSync, openSync, statSync } from 'node:fs';
import { setSynchronous, totalChangesOf } from './store/connection-control';

/**
 * Group commit for the one writer. Each document is still its own transaction, but a commit made while the writer
 * works through its queue of requests is not synced to disk on its own (synchronous = NORMAL while a request runs):
 * after the queue is drained the WAL file is synced once, and only then do the answers and events of those requests
 * go out. No caller hears "posted" before its document is on disk, and a burst of posts from many desktops costs one
 * sync, not one each. A job's writes join the group the same way (JobPool.joinGroup): a job's chunk commits without
 * its own sync and its answer waits for the group's, so it shares one sync with the clerks' commits queued beside it.
 * Writes made outside a request or a job's write (start-up's roll-forward of an import) keep SQLite's own sync.
 */
export class GroupCommit<M> {
  private readonly held: (() => void)[] = [];
  private scheduled = false;
  private readonly totalChanges: () => number;
  private synced: number;
  private wal: { fd: number; ino: number } | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly walPath: string,
    private readonly deliver: (m: M) => void,
    /** Syncs the WAL file (the default); tests pass one that also counts. */
    private readonly syncWal: (g: GroupCommit<M>) => void = (g) => g.fsyncWal(),
  ) {
    this.totalChanges = totalChangesOf(db);
    this.synced = this.changes();
  }

  /** Runs one request: its commits wait for the group's sync instead of syncing each. */
  run<T>(request: () => T): T {
    if (!this.db.open || this.db.inTransaction) return request();
    setSynchronous(this.db, 'NORMAL');
    try {
      return request();
    } finally {
      if (this.db.open && !this.db.inTransaction) setSynchronous(this.db, 'FULL');
    }
  }

  /**
   * Runs a job's write as `run` does, but first syncs and sends what already waits for a sync: a clerk's answer held
   * for the group's sync goes out before the job's transaction, never after it (the job's write may take far longer
   * than the clerk's commit). The job's own commit then waits for the next sync as before.
   */
  runJobWrite<T>(write: () => T): T {
    if (this.held.length > 0) this.flush();
    return this.run(write);
  }

  /** Sends a message at once when nothing written waits for the disk; otherwise after the next sync, in order. */
  send(m: M): void {
    this.after(() => this.deliver(m));
  }

  /** Calls `then` at once when nothing written waits for the disk; otherwise after the next sync, in order with the messages. */
  after(then: () => void): void {
    if (this.held.length === 0 && this.changes() === this.synced) {
      then();
      return;
    }
    this.held.push(then);
    if (this.scheduled) return;
    this.scheduled = true;
    // After the requests already queued have run: one sync for all of them.
    setImmediate(() => this.flush());
  }

  /** Syncs what was written and sends what waited for it. */
  flush(): void {
    this.scheduled = false;
    const changes = this.changes();
    if (changes !== this.synced) {
      this.syncWal(this);
      this.synced = changes;
    }
    for (const then of this.held.splice(0)) then();
  }

  /** fsync of the ledger's WAL file (the same file SQLite's own sync would flush); none there: nothing to flush. */
  fsyncWal(): void {
    let ino: number;
    try {
      ino = statSync(this.walPath).ino;
    } catch {
      return;
    }
    if (this.wal?.ino !== ino) {
      this.close();
      // Opened for writing though it never writes: Windows flushes a file (FlushFileBuffers) only through a handle with write access.
      const fd = openSync(this.walPath, 'r+');
      this.wal = { fd, ino: fstatSync(fd).ino };
    }
    fsyncSync(this.wal.fd);
  }

  close(): void {
    if (this.wal) closeSync(this.wal.fd);
    this.wal = null;
  }

  private changes(): number {
    return this.db.open ? this.totalChanges() : this.synced;
  }
}
