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
  private pending: NodeJS.Immediate | null = null;
  private readonly totalChanges: () => number;
  private synced: number;
  private waiting: () => void = () => undefined;
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
   * Runs a write of the writer's own, made between requests (the snapshot timer's refresh), as `run` does, and syncs it
   * with the group: it costs no sync of its own, and the clerks' commits that arrive while it runs share the next one
   * instead of waiting behind a sync SQLite would make for it alone.
   */
  runOwn<T>(write: () => T): T {
    try {
      return this.run(write);
    } finally {
      this.after(() => undefined);
    }
  }

  /**
   * Gives the clerks' requests priority over a job's writes: `runWaiting` runs every request already sent to the writer
   * and not yet read (the ledger worker reads its port), and runJobWrite calls it before each job write. A clerk's
   * commit that came while the job's last write was synced, or beside the job's next one, then waits for no job write.
   */
  clerksFirst(runWaiting: () => void): void {
    this.waiting = runWaiting;
  }

  /**
   * Runs a job's write as `run` does, but first runs the clerks' requests already waiting (clerksFirst) and syncs and sends what already waits for a sync: a clerk's answer held
   * for the group's sync goes out before the job's transaction, never after it (the job's write may take far longer
   * than the clerk's commit). The job's own commit then waits for the next sync as before.
   */
  runJobWrite<T>(write: () => T): T {
    this.waiting();
    if (this.held.length > 0) this.flush();
    return this.run(write);
  }

  /** Sends a message at once when nothing written waits for the disk; otherwise after the next sync, in order. */
  send(m: M): void {
    this.after(() => this.deliver(m));
  }

  /** Calls `then` at once when nothing written waits for the disk; otherwise after the next sync, in order with the messages. */
  after(then: () => void): void {
    this.hold(then, 1);
  }

  /**
   * As `after`, for a job's write: its sync waits one more turn of the event loop. A clerk's request that arrived while
   * the job's write ran is read only in the next turn's poll; without this the writer would sync for the job alone
   * first and the clerk's commit would wait for that sync and then for its own. Now one sync covers both. The job
   * sends no other write before this one is answered (job-writers.ts keeps one write under way per job thread).
   */
  afterJobWrite(then: () => void): void {
    this.hold(then, 2);
  }

  private hold(then: () => void, turns: number): void {
    if (this.held.length === 0 && this.changes() === this.synced) {
      then();
      return;
    }
    this.held.push(then);
    if (this.pending) return;
    // After the requests already queued have run (and, for a job's write, those that came while it ran): one sync for all.
    const wait = (left: number) => {
      this.pending = setImmediate(() => (left > 1 ? wait(left - 1) : this.flush()));
    };
    wait(turns);
  }

  /** Syncs what was written and sends what waited for it. */
  flush(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
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
