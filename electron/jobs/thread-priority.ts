import { readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * The nice value a background thread runs at (a job, a backup's copy and check, the full check after start): the
 * scheduler gives the writer's thread the core first, so a clerk's commit does not queue behind a job on a 2-core machine.
 */
export const BACKGROUND_NICE = 10;

/**
 * The calling thread's id as the operating system knows it (Linux: from /proc/thread-self, "PID/task/TID"); null where
 * there is no such file (Windows, macOS).
 */
export function osThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/**
 * Lowers the scheduling priority of the calling thread only, never the process (the writer's thread must keep its own).
 * Linux: the nice value is per thread, so setpriority on the thread's id lowers just this thread. Windows and macOS have
 * no per-thread call Node exposes (os.setPriority there takes a process, and would slow the writer too): there the
 * thread stays at normal priority and a job's only courtesy is to yield between chunks. True when the thread runs at
 * `nice` or lower priority.
 */
export function lowerThisThread(nice = BACKGROUND_NICE): boolean {
  const tid = process.platform === 'linux' ? osThreadId() : null;
  if (tid === null) return false;
  try {
    const now = getPriority(tid);
    if (now < nice) setPriority(tid, nice); // only ever lower: raising it back needs privileges this app does not have
    return true;
  } catch {
    return false; // a sandbox that forbids it: run at normal priority
  }
}

/** A Linux thread's nice value, from field 19 of /proc/self/task/<tid>/stat (after the parenthesised name). */
export function threadNice(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[16]);
}
