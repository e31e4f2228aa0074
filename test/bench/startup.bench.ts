import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../../electron/demo/generate-demo';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { fmt, type BenchOptions } from './bench-options';
import { freePort, waitForHealth } from './web-server-process';

const SMALL = 1_000;
const RUNS = 3;

async function demoLedger(path: string, movements: number): Promise<number> {
  const ledger = await SqliteLedger.open(path);
  const n = (ledger.db.prepare('SELECT IFNULL(MAX(seq), 0) FROM movements').pluck().get() as number) || (await generateDemo(ledger, { movements, seed: 1 })).movements;
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  await ledger.close();
  return n;
}

/**
 * The CPU seconds (user + system, every thread) a process has used so far, from /proc (Linux; NaN elsewhere): on the
 * shared machine the wall clock also counts the time others had the cores.
 */
function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Seconds from spawning `start-web.ts` on the ledger to its first /health answer (the renderer is served from then on),
 * and the CPU seconds the server used to get there.
 */
async function timeToServing(dbPath: string): Promise<{ wall: number; cpu: number }> {
  const port = await freePort();
  const t = performance.now();
  const server = spawn(process.execPath, ['--import', 'tsx', 'electron/web/start-web.ts', '--port', String(port), '--db', dbPath], {
    env: { ...process.env, STOCKBOOK_WEB_TOKEN: randomBytes(24).toString('base64url'), STOCKBOOK_NO_DAILY_BACKUP: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, server, 10);
    return { wall: (performance.now() - t) / 1000, cpu: cpuSeconds(server.pid) };
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}

/**
 * Start-up of browser mode to serving, on a large demo ledger against a 1,000-movement one (goal: at most +0.5 s):
 * nothing on the path to the first window may grow with the ledger (the full check runs after it opens).
 * The median of 3 starts each, alternating. STOCKBOOK_BENCH_DEMO_DB=path uses that ledger as the large one.
 */
export async function startupBench({ dir, movements }: BenchOptions): Promise<void> {
  const large = process.env.STOCKBOOK_BENCH_DEMO_DB ?? join(dir, 'startup-large.db');
  const small = join(dir, 'startup-small.db');
  const smallN = await demoLedger(small, SMALL);
  const largeN = await demoLedger(large, movements);
  console.log(`\n## Start-up of browser mode to serving: ${fmt(largeN)}-movement ledger vs a ${fmt(smallN)}-movement one (median of ${RUNS} starts each)`);
  const times = { small: [] as { wall: number; cpu: number }[], large: [] as { wall: number; cpu: number }[] };
  for (let i = 0; i < RUNS; i++) {
    times.small.push(await timeToServing(small));
    times.large.push(await timeToServing(large));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const measure of ['wall', 'cpu'] as const) {
    const [s, l] = [median(times.small.map((x) => x[measure])), median(times.large.map((x) => x[measure]))];
    const what = measure === 'wall' ? 'wall clock' : 'CPU of the server process';
    console.log(`${what}: small ledger ${s.toFixed(2)} s (${times.small.map((x) => x[measure].toFixed(2)).join(', ')})`);
    console.log(`${what}: large ledger ${l.toFixed(2)} s (${times.large.map((x) => x[measure].toFixed(2)).join(', ')})`);
    console.log(`${what}: DIFFERENCE large − small = ${(l - s >= 0 ? '+' : '')}${(l - s).toFixed(2)} s (goal ≤ +0.5 s); RATIO large / small = ${(l / s).toFixed(2)}`);
  }
}
