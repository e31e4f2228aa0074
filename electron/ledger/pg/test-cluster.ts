import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's PostgreSQL server binaries (the `postgresql` package; `.ci/run` installs it when missing): the newest
 * /usr/lib/postgresql/<major>/bin, or STOCKBOOK_PG_BIN. The schema needs 15 or later (NULLS NOT DISTINCT).
 */
export const PG_BIN = process.env.STOCKBOOK_PG_BIN ?? newestDebianPg();

function newestDebianPg(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => b - a) : [];
  if (majors.length === 0) throw new Error(`No PostgreSQL server in ${base}: install Debian's postgresql package (as .ci/run does) or set STOCKBOOK_PG_BIN.`);
  return join(base, String(majors[0]), 'bin');
}

/** Where a throw-away cluster listens, and how to reach it. */
export interface TestCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly dir: string;
  /** A new database in the cluster (createdb), for one test's isolation: empty, or a copy of database `template`. */
  createDatabase(name: string, template?: string): { host: string; port: number; user: string; database: string };
  /** Drops a database made by createDatabase once its test is done (dropdb --force), so the cluster's folder stays small. */
  dropDatabase(name: string): void;
  /** Stops the server (immediately: nothing in it is kept) and removes its folder. */
  stop(): void;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the cluster binds it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * initdb refuses to run as root (CI runs as root): there the server binaries run as the `postgres` system user, in a
 * folder chowned to it. Anyone else runs them as themselves.
 */
function runner(): { run: (bin: string, args: string[]) => void; owner: { uid: number; gid: number } | null } {
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) return { run: (bin, args) => void execFileSync(join(PG_BIN, bin), args, { stdio: 'pipe' }), owner: null };
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { run: (bin, args) => void execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { stdio: 'pipe' }), owner: { uid, gid } };
}

/**
 * Starts a throw-away PostgreSQL cluster for tests: initdb and pg_ctl in a temporary folder, on a free port on
 * 127.0.0.1 only, trust authentication for its one superuser `stockbook`. Made for speed, not durability:
 * fsync, synchronous_commit and full_page_writes are off (a crash of the test machine loses the cluster, which the
 * test throws away anyway). The socket lives in the cluster's folder, never in /var/run.
 * `keep` (benches only, a developer's switch): the cluster lives in that folder and is kept when stopped; a folder that
 * already holds one is started again (`reused`), its databases as they were left.
 * `durable` (benches): fsync, synchronous_commit and full_page_writes stay on, PostgreSQL's defaults, so a commit waits
 * for its WAL to reach the disk as SQLite's does and the two stores' write figures compare like with like.
 */
export async function startTestCluster(keep?: string, { durable = false }: { durable?: boolean } = {}): Promise<TestCluster & { reused: boolean }> {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'stockbook-pg-'));
  const { run, owner } = runner();
  const data = join(dir, 'data');
  const reused = keep !== undefined && existsSync(join(data, 'PG_VERSION'));
  if (keep && !reused) mkdirSync(keep, { recursive: true });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const user = 'stockbook';
  let started = false;
  const stop = () => {
    try {
      if (started) run('pg_ctl', ['-D', data, '-m', keep ? 'fast' : 'immediate', '-w', 'stop']);
    } finally {
      started = false;
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (!reused) run('initdb', ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    // A port taken between freePort and the bind fails pg_ctl; a second free port is tried once.
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const speed = durable ? '-c fsync=on -c synchronous_commit=on -c full_page_writes=on' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${speed} -c max_connections=50`;
      try {
        run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
        started = true;
        const host = '127.0.0.1';
        const createDatabase = (name: string, template?: string) => {
          execFileSync(join(PG_BIN, 'createdb'), ['-h', host, '-p', String(port), '-U', user, ...(template ? ['-T', template] : []), name], { stdio: 'pipe' });
          return { host, port, user, database: name };
        };
        const dropDatabase = (name: string) => void execFileSync(join(PG_BIN, 'dropdb'), ['-h', host, '-p', String(port), '-U', user, '--force', name], { stdio: 'pipe' });
        return { host, port, user, database: 'postgres', dir, createDatabase, dropDatabase, stop, reused };
      } catch (e) {
        if (attempt >= 1) throw e;
      }
    }
  } catch (e) {
    stop();
    throw e;
  }
}
