import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from './store/sqlite-ledger';
import { holderFilePath } from './writer-lock';

/**
 * One writer per ledger file, with real processes (npm run test:crash): a server holds the file, a second server and a
 * writing command are refused naming it, verify and info read beside it, and after kill -9 a new writer starts.
 */
const CHILD = fileURLToPath(new URL('../safety/crash-child.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/stockbook.mjs', import.meta.url));
let dir: string;
/** Children still running when a test ends early are killed, so a failure leaves no server holding a file. */
const children = new Set<ChildProcess>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-lock-'));
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the composition root (as browser mode does) in a child; resolves once it holds the ledger, or with its refusal. */
function serve(path: string): Promise<{ pid: number; line: string; kill(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'serve', path, 'x'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STOCKBOOK_NO_DAILY_BACKUP: '1' } });
    children.add(child);
    let out = '';
    let err = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.once('exit', () => children.delete(child));
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const line = out.split('\n').find((l) => l === 'READY' || l.startsWith('REFUSED'));
      if (line) resolve({ pid: child.pid!, line, kill: async () => void (child.kill('SIGKILL'), await exited) });
    });
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!/READY|REFUSED/.test(out)) reject(new Error(`serve child exited ${code}: ${err}`));
    });
  });
}

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('one writer per ledger file, across processes', () => {
  it('a second writer process (server or CLI) is refused naming the holder; verify and info run beside it; after kill -9 a new writer starts', async () => {
    const path = join(dir, 'shared.db');
    const seed = await SqliteLedger.open(path);
    seed.reference.addSite({ code: 'WH1', name: 'Warehouse' });
    await seed.close();

    const first = await serve(path);
    expect(first.line).toBe('READY');
    const holder = new RegExp(`in use by the Stockbook browser-mode server \\(process ${first.pid} on ${hostname()}, since .+\\)`);

    const second = await serve(path);
    expect(second.line).toMatch(/^REFUSED /);
    expect(second.line).toMatch(holder);

    const post = cli('post', '--db', path, '--to', '2026-01-01T00:00:00Z', '--no-backup');
    expect(post.status).not.toBe(0);
    expect(post.stderr).toMatch(holder);

    const verify = cli('verify', '--db', path);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain('All invariants hold.');
    const info = cli('info', '--db', path);
    expect(info.status).toBe(0);
    expect(info.stdout).toContain('Sites: 1');

    await first.kill();
    // kill -9 left the holder file behind; the OS lock went with the process, so it does not block.
    expect(existsSync(holderFilePath(path))).toBe(true);
    const after = await serve(path);
    expect(after.line).toBe('READY');
    await after.kill();
  }, 120_000);

});
