import { existsSync } from 'node:fs';
import { join, dirname, parse, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/contract/errors';
import type { AuthStatus } from '../../shared/auth';
import type { CallOutcome } from '../../shared/contract/transport';
import { startStockbook, type Stockbook } from '../app/compose';
import { ledgerChoice, type LedgerChoiceOptions } from '../app/ledger-choice';
import { connectionLog } from '../web/connection-log';
import { startWebServer, type WebServer } from '../web/web-server';
import { loadOrCreateCertificate, type ServerCertificate } from './server-certificate';

/** The port `stockbook serve` listens on unless told otherwise (and the one to open in the firewall). */
export const DEFAULT_SERVER_PORT = 4781;

export interface ServeOptions extends LedgerChoiceOptions {
  host?: string;
  port?: number;
  cert?: string;
  key?: string;
  /** The connection log; default `<ledger name>.server.log` beside the ledger. */
  logFile?: string;
  /** The built renderer; default out/renderer of this installation. */
  staticDir?: string;
}

export interface RunningServer {
  app: Stockbook;
  web: WebServer;
  certificate: ServerCertificate;
  logFile: string;
  close(): Promise<void>;
}

const defaultStaticDir = () => fileURLToPath(new URL('../../out/renderer', import.meta.url));

/** What to run to make the first administrator of `dbPath` (serve refuses a ledger where nobody has to sign in). */
export const firstAdminHint = (dbPath: string) =>
  `Create the first administrator with a password, on this machine: stockbook users add NAME --admin --db ${dbPath} (it asks for the password; or set STOCKBOOK_PASSWORD). Then start the server again.`;

/** What to do on a PostgreSQL ledger where nobody has a password yet. */
const firstAdminHintPg = (name: string) =>
  `Create the first administrator with a password: stockbook users add NAME --admin --database-url ${name} (it asks for the password; or set STOCKBOOK_PASSWORD). Then start the server again.`;

/** The sign-in state a local session sees; refused, saying why, when the ledger cannot tell (every connection must sign in). */
async function authStatusOf(app: Stockbook): Promise<AuthStatus> {
  let outcome: CallOutcome;
  try {
    const local = await app.openSession();
    outcome = await local.call('auth.status', {});
    local.close();
  } catch (e) {
    outcome = { ok: false, error: e instanceof AppError ? e.toWire() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } };
  }
  if (!outcome.ok) {
    throw new AppError(outcome.error.code, `The server cannot tell who may sign in to ${app.ledgerName} (${outcome.error.message}), so it does not start: every connection must sign in.`);
  }
  return outcome.result as AuthStatus;
}

/**
 * `stockbook serve`: the ledger service without a window. TLS only; every connection signs in, so a ledger
 * where no user has a password (first-run open access) is refused before anything listens.
 */
export async function startServer(o: ServeOptions, out: (line: string) => void = (l) => console.log(l)): Promise<RunningServer> {
  if (o.staticDir !== undefined && !existsSync(join(o.staticDir, 'index.html'))) {
    throw new AppError('VALIDATION', `--static-dir ${o.staticDir} holds no built renderer (no index.html there). Give the folder "npm run build:renderer" writes (out/renderer), or leave --static-dir out to serve this installation's own.`, { field: 'static-dir' });
  }
  const { dbPath, store } = ledgerChoice(o, { requireFile: true });
  const app = await startStockbook({ dbPath, mode: 'web', store });
  const name = app.ledgerName;
  try {
    if (app.safeMode) {
      throw new AppError('UNAVAILABLE', store.kind === 'postgres'
        ? `The PostgreSQL ledger ${name} failed its start-up check, and a server does not open it in safe mode: ${app.safeMode.message}`
        : `The ledger ${dbPath} failed its start-up check (${app.safeMode.message}). A server does not open it in safe mode: open it in Stockbook on this machine to restore a backup, then start the server again.`);
    }
    if ((await authStatusOf(app)).openAccess) {
      throw new AppError('PERMISSION', `No user of ${name} has a password or PIN yet, so anyone who reached the server would be let in as the administrator. ${store.kind === 'postgres' ? firstAdminHintPg(name) : firstAdminHint(dbPath)}`);
    }
    const certificate = await loadOrCreateCertificate(dbPath, { cert: o.cert, key: o.key });
    const logFile = resolve(o.logFile ?? join(dirname(dbPath), `${parse(dbPath).name}.server.log`));
    const log = connectionLog(logFile, out);
    const host = o.host ?? '0.0.0.0';
    const web = await startWebServer(app, {
      port: o.port ?? DEFAULT_SERVER_PORT,
      staticDir: o.staticDir ?? defaultStaticDir(),
      server: { host, tls: { cert: certificate.cert, key: certificate.key }, log },
    }).catch((e: unknown) => {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new AppError('CONFLICT', `Port ${o.port ?? DEFAULT_SERVER_PORT} on ${host} is already in use. Stop the program using it, or give another --port.`);
      if (code === 'EADDRNOTAVAIL') throw new AppError('VALIDATION', `${host} is not an address of this machine. Give one of its addresses with --host, or 0.0.0.0 for all of them.`);
      if (code === 'EACCES') throw new AppError('PERMISSION', `This user may not listen on port ${o.port}. Give a port above 1023 with --port.`);
      throw e;
    });
    log(`Stockbook server listening on ${host}:${web.port} (TLS), ledger ${name}`);
    log(`certificate ${certificate.certFile}${certificate.created ? ' (made now: first start)' : ''}`);
    log(`certificate SHA-256 fingerprint: ${certificate.fingerprint}`);
    log(`(compare it with the one a desktop shows on its first connection; public key SPKI SHA-256: ${certificate.spkiSha256})`);
    log(`connection log: ${logFile}`);
    return {
      app,
      web,
      certificate,
      logFile,
      close: async () => {
        await web.close();
        await app.close();
      },
    };
  } catch (e) {
    await app.close();
    throw e;
  }
}
