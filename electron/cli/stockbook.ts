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
import { runPostCommand } from '../posting/post-command';
import { runSafetyCommand } from '../safety/safety-command';

const USAGE = `stockbook ${APP_VERSION} — the Stockbook command

Usage:
  stockbook init   [--db PATH]                                            create a new, empty ledger
  stockbook demo   [--db PATH] [--movements N] [--products N] [--seed N]   create a ledger of demo data (or fill an empty one)
  stockbook verify [--db PATH] [--full] [--json]                          check every ledger invariant from the last verified anchor (--full: every movement, and integrity_check); exit 1 if any is broken (read-only)
  stockbook info   [--db PATH]                                            what the database holds (read-only)
  stockbook backup  [--db PATH] [--to DIR]                              a checked online backup (to DIR, or the backup folder with retention)
  stockbook restore [--db PATH] --from FILE                              restore a backup; the current file is kept aside (close Stockbook first)
  stockbook post   [--db PATH] --to DATETIME [--target builtin|hledger:FILE] [--summarised] [--pdf FILE] [--no-backup]   post unposted movements to finance after a checked backup; report on stdout, PDF in reports/ beside the db (and FILE)

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
  const { values } = parseArgs({
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
    },
    allowPositionals: false,
  });
  const dbPath = resolve(values.db ?? defaultDbPath());
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!['init', 'demo', 'verify', 'info', 'post', 'backup', 'restore'].includes(command)) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  const writer = `stockbook ${command}`;
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
    if (command === 'verify') return runVerifyCommand(db, dbPath, { full: values.full, json: values.json });
    const c = new StockQueries(db).counts();
    console.log(`Stockbook ${APP_VERSION}\nDatabase: ${dbPath}\nProducts: ${c.products}\nSites: ${c.sites}\nMovements: ${c.movements}`);
    return 0;
  } finally {
    db.close();
  }
}
