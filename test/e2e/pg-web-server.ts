import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';

/**
 * Browser mode on a PostgreSQL ledger for an e2e spec: a throw-away cluster (initdb/pg_ctl in a temporary folder, as
 * the unit tests use), an empty database, and `start-web --database-url … --migrate` on the given port. The database's
 * address is left in .tmp/e2e-PORT.pg-url for the spec's `stockbook verify --database`. Stopping this process stops the
 * server, then the cluster.
 */
const port = process.argv[2];
if (!port) throw new Error('usage: pg-web-server.ts PORT');
const cluster = await startTestCluster();
const db = cluster.createDatabase('stockbook_e2e');
const url = `postgres://${db.user}@${db.host}:${db.port}/${db.database}`;
mkdirSync('.tmp', { recursive: true });
writeFileSync(`.tmp/e2e-${port}.pg-url`, url);
const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/start-web.ts', '--port', port, '--database-url', url, '--migrate', '--data-dir', `.tmp/e2e-${port}-pg`], {
  stdio: 'inherit',
  env: process.env,
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
};
child.on('exit', (code) => {
  cluster.stop();
  process.exit(code ?? 0);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
