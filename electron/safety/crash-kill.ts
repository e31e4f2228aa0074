import { spawn } from 'node:child_process';

/**
 * The crash tests' kill (crash.crash.ts on SQLite, pg-crash.crash.ts on PostgreSQL): runs `node --import tsx <args>`,
 * kills it with SIGKILL `afterMs` after it prints the line `trigger` (READY unless told), and resolves with the lines it
 * printed and whether the kill ended it (rejects when it failed by itself first; a child that ended by itself before
 * the kill resolves with killed false).
 */
export function runAndKill(args: readonly string[], afterMs: number, trigger = 'READY'): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      const first = !out.split('\n').includes(trigger);
      out += String(d);
      if (first && out.split('\n').includes(trigger)) {
        setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, afterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve({ lines: out.split('\n').filter(Boolean), killed: signal === 'SIGKILL' && killed });
    });
  });
}
