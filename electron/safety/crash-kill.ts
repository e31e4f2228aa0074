import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The crash tests' kill (posting-kill.crash.ts and import-kill.crash.ts on either store, crash.sqlite.crash.ts): runs `node --import tsx <args>`,
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

/**
 * SIGKILLs `child` `afterMs` after `ready` first holds (polled every 2 ms, given what the child printed so far); resolves
 * whether the kill ended it (and what it printed), rejects when it failed by itself first. `children` holds it meanwhile
 * (a test's afterAll kills what is left).
 */
export function killWhenReady(child: ChildProcess, children: Set<ChildProcess>, ready: (out: string) => boolean, afterMs: number): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    children.add(child);
    child.once('exit', () => children.delete(child));
    let out = '';
    let err = '';
    let armed = false;
    child.stdout?.on('data', (d: Buffer) => (out += String(d)));
    child.stderr?.on('data', (d: Buffer) => (err += String(d)));
    const poll = setInterval(() => {
      if (armed || !ready(out)) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), afterMs);
    }, 2);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}
