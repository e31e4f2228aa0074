import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../../test/fixtures/cli';
import { pgLedgerForFile, type PgFixture } from '../../../test/fixtures/pg-ledger';
import type { PgConnection } from './pg-types';
import { PG_BIN } from './test-cluster';
import { killWhenReady } from '../../safety/crash-kill';

/**
 * A PostgreSQL backup killed part-way (npm run test:crash; SQLite's twin is the backup case of
 * safety/leftovers.crash.ts): `stockbook backup --database … --to DIR` is SIGKILLed at a random instant while its
 * pg_dump writes. That pg_dump is a process of its own: the kill does not reach it, and it writes on into its
 * `.partial`, which nothing renames. Afterwards nothing in DIR looks like a backup but a whole dump pg_restore reads
 * back; verify holds; and the next backup succeeds, reads back whole, keeps its chain head beside it (`.head`), and
 * leaves no dead writer's `.partial` behind.
 */
const CLI = fileURLToPath(new URL('../../../bin/stockbook.mjs', import.meta.url));
const KILLS = Number(process.env.STOCKBOOK_PG_BACKUP_KILLS ?? 4);
/** Movements in the ledger: enough that pg_dump writes for a while (the kill has an instant to land in). */
const MOVEMENTS = 40_000;

let f: PgFixture;
let dir: string;
const children = new Set<ChildProcess>();
pgLedgerForFile((fixture) => (f = fixture));
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-backup-kill-'));
  process.env.STOCKBOOK_PG_BIN = PG_BIN;
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  // A test that failed part-way may leave a killed run's pg_dump writing on: it goes too, before the cluster does.
  for (const pid of dir ? dumpersIn(dir) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  delete process.env.STOCKBOOK_PG_BIN;
  rmSync(dir, { recursive: true, force: true });
});

const urlOf = (c: PgConnection) => `postgres://${c.user}@${c.host}:${c.port}/${c.database}`;
const random = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const partials = () => readdirSync(dir).filter((n) => n.endsWith('.partial'));
const dumps = () => readdirSync(dir).filter((n) => n.endsWith('.dump'));

/** Runs `stockbook backup` and SIGKILLs it `afterMs` after its own pg_dump's .partial appears; resolves whether the kill ended it. */
async function backupAndKill(url: string, afterMs: number): Promise<boolean> {
  const earlier = new Set(partials()); // a killed run's, which this one sweeps first
  const child = spawn(process.execPath, [CLI, 'backup', '--database', url, '--to', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STOCKBOOK_PG_BIN: PG_BIN } });
  return (await killWhenReady(child, children, () => partials().some((n) => !earlier.has(n)), afterMs)).killed;
}

/** The pids of the pg_dump processes writing into `dir` (an orphan of a killed backup writes on: Linux's /proc). */
function dumpersIn(folder: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      return argv[0]?.endsWith('pg_dump') && argv.some((a) => a.startsWith(folder)) ? [Number(p)] : [];
    } catch {
      return []; // ended meanwhile
    }
  });
}

/** Waits until no pg_dump writes into `dir` any more (an orphan ends once its dump is written). */
async function dumpersGone(): Promise<void> {
  for (let waited = 0; dumpersIn(dir).length > 0; waited += 20) {
    if (waited > 60_000) throw new Error(`pg_dump still writing into ${dir} after 60 s`);
    await sleep(20);
  }
}

/** pg_restore reads the archive back whole (a cut or corrupt dump fails), as pgDump checks its own. */
const readsBack = (file: string): boolean => {
  try {
    execFileSync(join(PG_BIN, 'pg_restore'), ['--file', devNull, file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

describe('SIGKILL of a PostgreSQL backup while pg_dump writes', () => {
  it(`${KILLS} kills: nothing but whole dumps look like backups, verify holds, and the next backup sweeps the dead .partial files`, async () => {
    if (process.platform !== 'linux') return; // the orphaned pg_dump is found through /proc
    for (let d = 0; d < MOVEMENTS / 500; d++) {
      const lines = Array.from({ length: 500 }, (_, i) => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound' as const, qty: 1_000 + i, unitCost: 1_5000 }));
      await f.store.post({ idempotencyKey: `backup-kill-${d}`, type: 'receipt', lines }, f.ids.admin);
    }
    const url = urlOf(f.connection);
    let kills = 0;
    let left: string[] = [];
    let seen = 0;
    for (let run = 0; run < KILLS; run++) {
      let killed = false;
      for (let attempt = 0; attempt < 10 && !killed; attempt++) killed = await backupAndKill(url, random(0, 60));
      expect(killed, 'no kill landed while pg_dump wrote').toBe(true);
      kills++;
      await dumpersGone();
      // Each backup first removes what killed runs before it left: the last run's .partial files are gone.
      const now = partials();
      for (const name of left) expect(now, `${name}, left by the run before, was removed`).not.toContain(name);
      left = now;
      seen += now.length;
      // A killed run leaves its .partial (which its orphaned pg_dump may have finished); never a .dump that is not whole.
      for (const name of dumps()) expect(readsBack(join(dir, name)), `${name} reads back whole`).toBe(true);
    }
    // A kill after the rename leaves no .partial (that run finished its dump): most land before it.
    expect(seen, 'the killed runs left .partial files for the next backups to remove').toBeGreaterThan(0);
    const before = dumps().length;

    const verify = await cli(['verify', '--database', url]);
    expect(verify.out).toMatch(/All invariants hold\.$/);
    expect(verify.code).toBe(0);

    const backup = await cli(['backup', '--database', url, '--to', dir]);
    expect(backup.code).toBe(0);
    expect(partials(), "the next backup removed the dead writers' .partial files").toEqual([]);
    expect(dumps().length).toBe(before + 1);
    for (const name of dumps()) expect(readsBack(join(dir, name)), `${name} reads back whole`).toBe(true);
    // The finished backup's chain head is kept beside it (a kill between the rename and the head file leaves a dump without one).
    expect(readdirSync(dir)).toContain(`${dumps().sort().at(-1)!}.head`);
    console.log(`PostgreSQL backup: ${kills} SIGKILLs while pg_dump wrote; ${seen} .partial file(s) left by them, each removed by the next backup; ${before + 1} whole dump(s)`);
  }, 600_000);
});
