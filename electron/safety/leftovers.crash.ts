import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartialPath } from '../demo/demo-file';
import { generateDemo } from '../demo/generate-demo';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { runBackup } from './backup-service';
import { openLedgerSafely } from './startup-check';
import { killWhenReady } from './crash-kill';

/**
 * What a killed run leaves behind must not stay (issue 11, point 16): a `stockbook demo` or the app's demo
 * load, and a backup, each SIGKILLed part-way. Afterwards no half-filled ledger is visible as a real one, a
 * new demo load is accepted, and no `.partial` backup file remains once the next start or backup has run.
 */
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/stockbook.mjs', import.meta.url));
const KILLS = Number(process.env.STOCKBOOK_LEFTOVER_KILLS ?? 2);
let dir: string;
const children = new Set<ChildProcess>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-leftovers-'));
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const random = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const killWhen = (child: ChildProcess, ready: (out: string) => boolean, afterMs: number) => killWhenReady(child, children, ready, afterMs);

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('a killed demo load leaves no half-filled ledger', () => {
  it(`stockbook demo SIGKILLed ${KILLS} times part-way: no ledger appears at --db, and the next run starts over and completes`, async () => {
    const path = join(dir, 'cli', 'demo.db');
    let killed = 0;
    for (let run = 1; run <= KILLS; run++) {
      const child = spawn(process.execPath, [CLI, 'demo', '--db', path, '--movements', '200000'], { stdio: ['ignore', 'pipe', 'pipe'] });
      // Kill once generation has begun (its file is there), at a random point of it.
      const r = await killWhen(child, () => existsSync(demoPartialPath(path)) || existsSync(path), random(200, 2500));
      expect(r.killed, `run ${run} finished before the kill`).toBe(true);
      killed++;
      expect(existsSync(path), 'a half-filled ledger is visible at --db').toBe(false);
      const info = cli('info', '--db', path);
      expect(info.status).not.toBe(0);
      expect(info.stderr).toContain(`There is no ledger at ${path}.`);
    }
    expect(existsSync(demoPartialPath(path))).toBe(true); // the last kill's leftover, until the next run
    const rerun = cli('demo', '--db', path, '--movements', '3000');
    expect(rerun.stderr).not.toMatch(/already holds data/);
    expect(rerun.status).toBe(0);
    expect(readdirSync(join(dir, 'cli')).filter((n) => n.includes('demo-partial'))).toEqual([]);
    expect(cli('verify', '--db', path).status).toBe(0);
    console.log(`stockbook demo: ${killed} SIGKILLs part-way; --db never showed a ledger; the re-run completed (${/(\d+) movements in/.exec(rerun.stdout)?.[1]} movements)`);
  }, 120_000);

  it(`the app's in-place demo load SIGKILLed ${KILLS} times part-way: the next start discards the partial data and a new demo load is accepted`, async () => {
    let discarded = 0;
    for (let run = 1; run <= KILLS; run++) {
      const path = join(dir, `inplace-${run}.db`);
      await (await SqliteLedger.open(path)).close();
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'demo', path, '200000'], { stdio: ['ignore', 'pipe', 'pipe'] });
      // Kill after the first chunk of documents is in, at a random point.
      const r = await killWhen(child, (out) => out.includes('\nP '), random(0, 1500));
      expect(r.killed).toBe(true);
      const start = await openLedgerSafely(path);
      expect(start.safeMode).toBeNull();
      const ledger = start.ledger!;
      try {
        expect(start.notes.join('\n')).toContain('demo data whose loading did not finish; it was discarded');
        expect(ledger.queries.counts()).toMatchObject({ products: 0, movements: 0 });
        const again = await generateDemo(ledger, { movements: 2000 });
        expect(again.movements).toBeGreaterThan(0);
        expect(ledger.verify().ok).toBe(true);
      } finally {
        await ledger.close();
      }
      discarded++;
    }
    console.log(`in-place demo: ${KILLS} SIGKILLs after posting began; ${discarded} partial demo ledgers discarded at the next start, each reloaded whole`);
  }, 120_000);
});

describe('a killed backup leaves no .partial file', () => {
  it(`a backup SIGKILLed ${KILLS} times mid-copy: the next start, or the next backup, removes the .partial; a live process's is kept`, async () => {
    const path = join(dir, 'backup.db');
    const seed = await SqliteLedger.open(path);
    await generateDemo(seed, { movements: 30_000 });
    await seed.close();
    const folder = join(dir, 'backups');
    const partials = () => (existsSync(folder) ? readdirSync(folder).filter((n) => n.includes('.partial')) : []);
    // A partial being written by a live process (this test's parent) on this machine must be left alone.
    const live = join(folder, `stockbook-20260101-000000-000-manual.db.${process.ppid}@${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}.partial`);
    const outcomes = { sweptAtStart: 0, sweptByBackup: 0 };
    for (let run = 1; run <= KILLS; run++) {
      let left: string[] = [];
      for (let attempt = 0; attempt < 10 && left.length === 0; attempt++) {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'backup', path, 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
        const r = await killWhen(child, () => partials().some((n) => n !== live.slice(folder.length + 1)), random(0, 30));
        expect(r.killed).toBe(true);
        left = partials().filter((n) => !live.endsWith(n));
      }
      expect(left.length, 'no kill landed while a .partial existed').toBeGreaterThan(0);
      writeFileSync(live, 'being written');
      if (run % 2 === 1) {
        const start = await openLedgerSafely(path);
        expect(start.safeMode).toBeNull();
        expect(start.notes.join('\n')).toMatch(/Removed \d+ unfinished backup files?/);
        await start.ledger!.close();
        outcomes.sweptAtStart++;
      } else {
        const ledger = await SqliteLedger.open(path);
        await runBackup(ledger, 'manual');
        await ledger.close();
        outcomes.sweptByBackup++;
      }
      expect(partials().filter((n) => !live.endsWith(n))).toEqual([]);
      expect(existsSync(live)).toBe(true);
      await sleep(10);
    }
    console.log(`backup: ${KILLS} SIGKILLs while a .partial existed; removed at the next start ${outcomes.sweptAtStart}×, by the next backup ${outcomes.sweptByBackup}×; the live process's .partial kept`);
  }, 120_000);
});
