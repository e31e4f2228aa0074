import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { GroupCommit } from './group-commit';

let dir: string;
let db: Database.Database;
let out: string[];
let group: GroupCommit<string>;
const insert = (x: string) => db.transaction(() => db.prepare('INSERT INTO t (x) VALUES (?)').run(x))();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-group-'));
  db = new Database(join(dir, 'l.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (x TEXT)');
  out = [];
  // The real fsync of the WAL file, and a note of when it happened among the messages sent.
  group = new GroupCommit<string>(db, join(dir, 'l.db-wal'), (m) => out.push(m), (g) => {
    g.fsyncWal();
    out.push('SYNC');
  });
});
afterEach(() => {
  group.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit in the writer', () => {
  it('sends the answers of requests that wrote only after one sync of the WAL file, in order, however many there were', async () => {
    for (const x of ['a', 'b', 'c']) {
      group.run(() => insert(x));
      group.send(`posted ${x}`);
    }
    // Nothing is sent before the sync: the requests' commits are not yet known to be on disk.
    expect(out).toEqual([]);
    await tick();
    expect(out).toEqual(['SYNC', 'posted a', 'posted b', 'posted c']);
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(3);
  });

  it('sends at once what waits for no write, and keeps order behind a message that waits', async () => {
    group.send('status');
    expect(out).toEqual(['status']);
    group.run(() => insert('a'));
    group.send('posted a');
    group.send('list'); // wrote nothing, but goes after the answer it followed
    expect(out).toEqual(['status']);
    await tick();
    expect(out).toEqual(['status', 'SYNC', 'posted a', 'list']);
    group.send('later');
    expect(out.at(-1)).toBe('later');
  });

  it('commits within a request without SQLite syncing each (synchronous NORMAL), and puts FULL back after, also when it fails', () => {
    let during = -1;
    group.run(() => {
      during = db.pragma('synchronous', { simple: true }) as number;
    });
    expect(during).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(() => group.run(() => db.prepare('INSERT INTO missing VALUES (1)').run())).toThrow(/no such table/);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it("a clerk's answer waiting for the sync goes out before a job's write that came after it runs; the job's answer waits for the next sync", async () => {
    group.run(() => insert('clerk receipt'));
    group.send('posted clerk receipt');
    expect(out).toEqual([]);
    group.runJobWrite(() => {
      out.push('job chunk runs');
      insert('job chunk');
    });
    group.after(() => out.push('job chunk answered'));
    expect(out).toEqual(['SYNC', 'posted clerk receipt', 'job chunk runs']);
    await tick();
    expect(out).toEqual(['SYNC', 'posted clerk receipt', 'job chunk runs', 'SYNC', 'job chunk answered']);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    // With nothing waiting, a job's write costs no sync of its own before it.
    out.length = 0;
    group.runJobWrite(() => insert('next chunk'));
    group.after(() => out.push('next chunk answered'));
    expect(out).toEqual([]);
    await tick();
    expect(out).toEqual(['SYNC', 'next chunk answered']);
  });

  it("a job's write joins the group: its answer waits for the sync it shares with the clerks' commits beside it", async () => {
    group.run(() => insert('job chunk'));
    group.after(() => out.push('job chunk answered'));
    group.run(() => insert('clerk receipt'));
    group.send('posted clerk receipt');
    expect(out).toEqual([]);
    await tick();
    expect(out).toEqual(['SYNC', 'job chunk answered', 'posted clerk receipt']);
    group.after(() => out.push('wrote nothing'));
    expect(out.at(-1)).toBe('wrote nothing');
  });

  it("a clerk's request sent while a job's write runs is synced with that write: one sync, not the job's and then its own", async () => {
    // As in the ledger worker: the clerks' port is older than a job thread's port, and each message is read in a poll of the event loop.
    const clerks = new MessageChannel();
    const jobs = new MessageChannel();
    try {
      clerks.port2.on('message', (x: string) => {
        group.run(() => insert(x));
        group.send(`posted ${x}`);
      });
      jobs.port2.on('message', (x: string) => {
        group.runJobWrite(() => {
          insert(x);
          clerks.port1.postMessage('clerk receipt'); // the clerk's commit comes while the job's chunk is being written
        });
        group.afterJobWrite(() => out.push(`${x} answered`));
      });
      jobs.port1.postMessage('job chunk');
      for (let i = 0; i < 100 && !out.includes('posted clerk receipt'); i++) await new Promise((r) => setTimeout(r, 5));
      expect(out).toEqual(['SYNC', 'job chunk answered', 'posted clerk receipt']);
      expect(db.prepare('SELECT x FROM t ORDER BY rowid').pluck().all()).toEqual(['job chunk', 'clerk receipt']);
    } finally {
      for (const p of [clerks.port1, clerks.port2, jobs.port1, jobs.port2]) p.close();
    }
  });

  it("a write of the writer's own between requests (the snapshot timer's) commits without a sync of its own, and one sync covers it and a clerk's commit beside it", async () => {
    let during = -1;
    group.runOwn(() => {
      during = db.pragma('synchronous', { simple: true }) as number;
      insert('snapshot refresh');
    });
    expect(during).toBe(1); // NORMAL: SQLite does not sync this commit on its own
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    group.run(() => insert('clerk receipt'));
    group.send('posted clerk receipt');
    expect(out).toEqual([]);
    await tick();
    expect(out).toEqual(['SYNC', 'posted clerk receipt']);
    // Alone, it is synced all the same, on the next turn.
    group.runOwn(() => insert('next refresh'));
    expect(out).toEqual(['SYNC', 'posted clerk receipt']);
    await tick();
    expect(out).toEqual(['SYNC', 'posted clerk receipt', 'SYNC']);
  });

  it("a clerk's request waiting beside a job's next write runs first: the job's chunk waits, not the clerk's commit", async () => {
    // The job's port is the older one here, so its message would be read first; the clerks' requests are read off their port before the chunk runs.
    const jobs = new MessageChannel();
    const clerks = new MessageChannel();
    try {
      const clerk = (x: string) => {
        group.run(() => insert(x));
        group.send(`posted ${x}`);
      };
      clerks.port2.on('message', clerk);
      group.clerksFirst(() => {
        for (let m = receiveMessageOnPort(clerks.port2); m; m = receiveMessageOnPort(clerks.port2)) clerk(m.message as string);
      });
      jobs.port2.on('message', (x: string) => {
        group.runJobWrite(() => {
          out.push(`${x} runs`);
          insert(x);
        });
        group.afterJobWrite(() => out.push(`${x} answered`));
      });
      jobs.port1.postMessage('job chunk');
      clerks.port1.postMessage('clerk receipt');
      clerks.port1.postMessage('second receipt');
      for (let i = 0; i < 100 && !out.includes('job chunk answered'); i++) await new Promise((r) => setTimeout(r, 5));
      expect(out).toEqual(['SYNC', 'posted clerk receipt', 'posted second receipt', 'job chunk runs', 'SYNC', 'job chunk answered']);
      expect(db.prepare('SELECT x FROM t ORDER BY rowid').pluck().all()).toEqual(['clerk receipt', 'second receipt', 'job chunk']);
    } finally {
      for (const p of [clerks.port1, clerks.port2, jobs.port1, jobs.port2]) p.close();
    }
  });

  it('syncs a write made outside a request too before the next message goes out', async () => {
    insert('job chunk');
    group.send('job finished');
    expect(out).toEqual([]);
    await tick();
    expect(out).toEqual(['SYNC', 'job finished']);
  });
});
