import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/contract/errors';
import { cliProgress } from './cli-progress';
import { defaultDbPath } from '../app/paths';
import { APP_VERSION } from '../app/version';
import { generateDemoFile } from '../demo/demo-file';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { StockQueries } from '../ledger/store/stock-queries';
import { openLedgerReadOnly, requireLedgerFile } from './ledger-file';
import { runVerifyCommand } from './verify-command';
import { DATABASE_URL_ENV, runPgVerifyCommand } from './pg-verify-command';
import { runPostCommand } from '../posting/post-command';
import { runSafetyCommand } from '../safety/safety-command';
import { runUsersCommand } from '../auth/users-command';
import { DEFAULT_SERVER_PORT, startServer } from '../server/serve-command';
import { connectCli, remotePost, remoteVerify } from '../remote/remote-commands';
import { askYesNo } from './ask';
import { readSecret } from './read-secret';
import { runPgBackupCommand, runPgRestoreCommand } from './pg-backup-command';

const USAGE = `stockbook ${APP_VERSION} — the Stockbook command

Usage:
  stockbook init   [--db PATH]                                            create a new, empty ledger
  stockbook demo   [--db PATH] [--movements N] [--products N] [--seed N]   create a ledger of demo data (or fill an empty one)
  stockbook verify [--db PATH] [--full] [--json]                          check every ledger invariant from the last verified anchor (--full: every movement, and integrity_check); exit 1 if any is broken (read-only)
  stockbook info   [--db PATH]                                            what the database holds (read-only)
  stockbook backup  [--db PATH] [--to DIR]                              a checked online backup (to DIR, or the backup folder with retention)
  stockbook restore [--db PATH] --from FILE                              restore a backup; the current file is kept aside (close Stockbook first)
  stockbook post   [--db PATH] --to DATETIME [--target builtin|hledger:FILE] [--summarised] [--pdf FILE] [--no-backup]   post unposted movements to finance after a checked backup; report on stdout, PDF in reports/ beside the db (and FILE)
  stockbook users add NAME [--admin] [--display-name TEXT] [--db PATH | --database-url postgres://…]   make a user with a password (asked for, or STOCKBOOK_PASSWORD); --admin: every permission
  stockbook users list [--db PATH | --database-url postgres://…]
  stockbook serve  [--db PATH] [--host ADDR] [--port N] [--cert FILE --key FILE] [--log FILE] [--static-dir DIR]   the Stockbook server: the ledger over TLS for desktops and browsers (default port ${DEFAULT_SERVER_PORT}, all addresses; --static-dir: the built renderer it serves, default this installation's out/renderer)
  stockbook serve  --store postgres --database-url postgres://USER@HOST:PORT/DATABASE [--data-dir DIR] [--migrate] [--host …]   the server on a PostgreSQL ledger (or ${DATABASE_URL_ENV}; the password in PGPASSWORD); --data-dir holds its certificate and log; --migrate brings the database to this version first (one server, before the others)

Against a Stockbook server instead of a file (verify and post):
  stockbook verify --server ADDRESS [--json]
  stockbook post   --server ADDRESS --to DATETIME [--target …] [--summarised]

A PostgreSQL ledger (or ${DATABASE_URL_ENV} for verify; the password in PGPASSWORD):
  stockbook verify  --database postgres://USER@HOST:PORT/DATABASE [--backups DIR] [--clear-safe-mode] [--json]   every movement, one snapshot;
                    --backups: the chain also held to the heads the backups in DIR recorded;
                    --clear-safe-mode: when every check passes, the safe mode a server recorded no longer stands (one audit entry; read-only otherwise)
  stockbook backup  --database postgres://…/DATABASE --to DIR               an anchored pg_dump into DIR, read back whole before it is named
  stockbook restore --database postgres://…/NEWDB --from FILE               into a new, empty database (createdb first), then verified
  (pg_dump and pg_restore from the PATH, or from the folder STOCKBOOK_PG_BIN names)
Users of a PostgreSQL ledger (the database is brought to the latest schema first, so the first administrator can be made on a new one):
  stockbook users add NAME --admin --database-url postgres://USER@HOST:PORT/DATABASE   (or ${DATABASE_URL_ENV}; the password in PGPASSWORD)
  The user is STOCKBOOK_USER (or --user NAME); the password STOCKBOOK_PASSWORD or asked for, never on the command line.
  The server's certificate is pinned on first use (~/.stockbook/known-servers.json, or STOCKBOOK_KNOWN_SERVERS): give
  --fingerprint SHA256 (printed by "stockbook serve") the first time, or confirm it at the terminal.

--db defaults to ${defaultDbPath()}. Only init, demo and restore create a ledger; the others need one at PATH.
One program at a time may change a ledger: demo, post, backup and restore are refused while Stockbook
(or another command) writes to it; verify and info run beside it.`;

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('VALIDATION', `--${name} ${value} is not a whole number; give e.g. --${name} 200000.`);
  return n;
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      db: { type: 'string' },
      movements: { type: 'string' },
      products: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      to: { type: 'string' },
      from: { type: 'string' },
      target: { type: 'string' },
      summarised: { type: 'boolean', default: false },
      pdf: { type: 'string' },
      'no-backup': { type: 'boolean', default: false },
      host: { type: 'string' },
      port: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      log: { type: 'string' },
      'static-dir': { type: 'string' },
      admin: { type: 'boolean', default: false },
      'display-name': { type: 'string' },
      server: { type: 'string' },
      fingerprint: { type: 'string' },
      user: { type: 'string' },
      database: { type: 'string' },
      store: { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      migrate: { type: 'boolean', default: false },
      backups: { type: 'string' },
      'clear-safe-mode': { type: 'boolean', default: false },
    },
    allowPositionals: command === 'users',
  });
  const dbPath = resolve(values.db ?? defaultDbPath());
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!['init', 'demo', 'verify', 'info', 'post', 'backup', 'restore', 'users', 'serve'].includes(command)) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  const writer = `stockbook ${command}`;
  const database = values.database ?? (command === 'verify' && values.db === undefined && values.server === undefined ? process.env[DATABASE_URL_ENV] : undefined);
  if (database !== undefined) {
    if (command !== 'verify' && command !== 'backup' && command !== 'restore') throw new AppError('VALIDATION', `--database works with verify, backup and restore; "${command}" runs on this machine's ledger file (--db) or a Stockbook server (--server).`);
    if (values.db !== undefined || values.server !== undefined) throw new AppError('VALIDATION', `Give one ledger to ${command}: --db FILE${command === 'verify' ? ', --server ADDRESS' : ''} or --database postgres://…, not several.`);
    if (values.backups !== undefined && command !== 'verify') throw new AppError('VALIDATION', `--backups works with verify --database postgres://… (the folder of its pg_dump backups), not with ${command}.`, { field: 'backups' });
    if (values['clear-safe-mode'] && command !== 'verify') throw new AppError('VALIDATION', `--clear-safe-mode works with verify --database postgres://… (it clears a server's safe mode once every check passes), not with ${command}.`, { field: 'clear-safe-mode' });
    if (command === 'backup') return runPgBackupCommand(database, { to: values.to });
    if (command === 'restore') return runPgRestoreCommand(database, { from: values.from });
    return runPgVerifyCommand(database, { json: values.json, backups: values.backups, clearSafeMode: values['clear-safe-mode'] });
  }
  if (values['clear-safe-mode']) throw new AppError('VALIDATION', '--clear-safe-mode works with verify --database postgres://… (a safe mode one server recorded for the others); a ledger file\'s safe mode ends when its own checks pass at the next start.', { field: 'clear-safe-mode' });
  if (values.backups !== undefined) throw new AppError('VALIDATION', '--backups works with verify --database postgres://… (the folder of its pg_dump backups); a ledger file\'s verify reads its own backups.', { field: 'backups' });
  if (values.server !== undefined) {
    if (command !== 'post' && command !== 'verify') throw new AppError('VALIDATION', `--server works with post and verify; "${command}" runs on this machine's ledger file (--db).`);
    const client = await connectCli({
      server: values.server,
      fingerprint: values.fingerprint,
      username: values.user,
      password: () => readSecret('Password: '),
      confirm: process.stdin.isTTY ? askYesNo : undefined,
    });
    try {
      if (command === 'verify') return await remoteVerify(client, values.json);
      return await remotePost(client, { to: values.to, target: values.target, summarised: values.summarised });
    } finally {
      client.close();
    }
  }
  const databaseUrl = values['database-url'] ?? (command === 'users' && values.db === undefined ? process.env[DATABASE_URL_ENV] : undefined);
  if (values['database-url'] !== undefined && command !== 'users' && command !== 'serve') {
    throw new AppError('VALIDATION', `--database-url works with users and serve; "${command}" runs on this machine's ledger file (--db)${command === 'verify' ? ', or give the PostgreSQL ledger to verify as --database postgres://…' : ''}.`);
  }
  if (command === 'users') {
    if (databaseUrl !== undefined && values.db !== undefined) throw new AppError('VALIDATION', 'Give one ledger: --db FILE or --database-url postgres://…, not both.');
    if (databaseUrl === undefined) requireLedgerFile(dbPath);
    return runUsersCommand(positionals[0], databaseUrl === undefined ? dbPath : { databaseUrl }, { name: positionals[1], admin: values.admin, displayName: values['display-name'] }, () =>
      readSecret('Password for the new user: '),
    );
  }
  if (command === 'serve') {
    const port = intOption('port', values.port);
    if (port !== undefined && port > 65535) throw new AppError('VALIDATION', `--port ${values.port} is not a port number; give a number from 1 to 65535.`);
    const server = await startServer({
      dbPath,
      store: values.store,
      databaseUrl: values['database-url'],
      dataDir: values['data-dir'],
      migrate: values.migrate,
      host: values.host,
      port,
      cert: values.cert,
      key: values.key,
      logFile: values.log,
      staticDir: values['static-dir'],
    });
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  }
  if (command === 'init') {
    if (existsSync(dbPath)) throw new AppError('CONFLICT', `There is already a file at ${dbPath}; init creates a ledger only where there is none. Give another --db path.`);
    mkdirSync(dirname(dbPath), { recursive: true });
    await (await SqliteLedger.open(dbPath, { writer })).close();
    console.log(`Created an empty ledger at ${dbPath}.`);
    return 0;
  }
  if (command === 'demo') {
    const movements = intOption('movements', values.movements) ?? 200_000;
    const started = Date.now();
    const r = await generateDemoFile(dbPath, {
      movements,
      products: intOption('products', values.products),
      seed: intOption('seed', values.seed),
      onProgress: cliProgress(),
    });
    const secs = (Date.now() - started) / 1000;
    console.log(
      `Demo data in ${dbPath}: ${r.products} products, ${r.sites} sites, ${r.documents} documents, ${r.movements} movements in ${secs.toFixed(1)} s (${Math.round(r.movements / secs).toLocaleString('en-GB')} movements/s).`,
    );
    return 0;
  }
  if (command === 'restore') return runSafetyCommand(command, dbPath, { from: values.from });
  requireLedgerFile(dbPath);
  if (command === 'backup') return runSafetyCommand(command, dbPath, { to: values.to });
  if (command === 'post') {
    const ledger = await SqliteLedger.open(dbPath, { writer });
    try {
      return await runPostCommand(ledger, { to: values.to, target: values.target, summarised: values.summarised, pdf: values.pdf, backup: !values['no-backup'] });
    } finally {
      await ledger.close();
    }
  }
  // verify and info only read: no writer lock, so they run beside the app or a server using the file.
  const db = openLedgerReadOnly(dbPath);
  try {
    if (command === 'verify') return await runVerifyCommand(db, dbPath, { full: values.full, json: values.json });
    const c = new StockQueries(db).counts();
    console.log(`Stockbook ${APP_VERSION}\nDatabase: ${dbPath}\nProducts: ${c.products}\nSites: ${c.sites}\nMovements: ${c.movements}`);
    return 0;
  } finally {
    db.close();
  }
}
