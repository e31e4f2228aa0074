import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { CompanyInfo } from '../../shared/company';
import type { JobFinished } from '../../shared/domain';
import type { BatchSummary, PostingPreview, PostingReport } from '../../shared/posting';
import type { LedgerVerifyReport } from '../../shared/contract/ledger.methods';
import type { CallOutcome } from '../../shared/contract/transport';
import { reportText } from '../posting/posting-report';
import { KnownServers } from './known-servers';
import { RemoteClient } from './remote-client';
import { parseServerAddress } from './server-address';

/** Where the CLI keeps the servers it trusts (as ~/.ssh/known_hosts); STOCKBOOK_KNOWN_SERVERS overrides it. */
export const defaultKnownServersFile = () => process.env.STOCKBOOK_KNOWN_SERVERS ?? join(homedir(), '.stockbook', 'known-servers.json');

const normalFingerprint = (f: string) => f.trim().toUpperCase().replace(/^SHA256:/, '');

export interface CliServerOptions {
  server: string;
  /** The fingerprint the administrator gave (from `stockbook serve`): trusts a server not yet pinned without asking. */
  fingerprint?: string;
  username?: string;
  password: () => Promise<string>;
  /** Asked at a terminal when the server is new and no --fingerprint was given. */
  confirm?: (question: string) => Promise<boolean>;
  knownServersFile?: string;
  err?: (s: string) => void;
}

/** Connects the CLI to a server: pinned certificate, signed in as the user from STOCKBOOK_USER (or --user) with the password from STOCKBOOK_PASSWORD or the terminal. */
export async function connectCli(o: CliServerOptions): Promise<RemoteClient> {
  const address = parseServerAddress(o.server);
  const username = o.username ?? process.env.STOCKBOOK_USER;
  if (!username) throw new AppError('VALIDATION', 'Say who signs in to the server: set STOCKBOOK_USER (or give --user NAME); the password comes from STOCKBOOK_PASSWORD or is asked for.');
  const secret = await o.password();
  const knownServers = new KnownServers(o.knownServersFile ?? defaultKnownServersFile());
  return RemoteClient.connect({
    address,
    knownServers,
    credentials: { username, kind: 'password', secret },
    confirmFingerprint: async (presented) => {
      if (o.fingerprint) {
        if (normalFingerprint(o.fingerprint) === presented) return true;
        throw new AppError(
          'PERMISSION',
          `The server ${address.label} presents the certificate ${presented}, not the --fingerprint ${normalFingerprint(o.fingerprint)} you gave. Stockbook did not connect. Check the fingerprint "stockbook serve" printed on the server.`,
        );
      }
      if (!o.confirm) {
        throw new AppError(
          'PERMISSION',
          `The server ${address.label} is not trusted yet. Its certificate fingerprint is ${presented}. Compare it with the one "stockbook serve" printed on the server; if they match, run again with --fingerprint ${presented}.`,
        );
      }
      return o.confirm(`The server ${address.label} is not trusted yet.\nIts certificate SHA-256 fingerprint is\n  ${presented}\nCompare it with the one "stockbook serve" printed on the server. Trust it? (yes/no) `);
    },
  });
}

function result<T>(o: CallOutcome): T {
  if (!o.ok) throw new AppError(o.error.code, o.error.message, o.error.details);
  return o.result as T;
}

/** `stockbook verify --server URL`: the server checks its ledger; the same report as on the file. */
export async function remoteVerify(client: RemoteClient, json: boolean, out: (s: string) => void = (s) => console.log(s)): Promise<number> {
  const report = result<LedgerVerifyReport>(await client.invoke('ledger.verify', {}));
  if (json) out(JSON.stringify(report, null, 2));
  else {
    out(`Verifying the ledger of the server ${client.address.label} (${report.movements} movements)`);
    for (const c of report.checks) {
      out(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.invariant}`);
      for (const p of c.problems) out(`         ${p}`);
    }
    out(report.ok ? 'All invariants hold.' : 'The ledger is NOT consistent: see the failures above.');
  }
  return report.ok ? 0 : 1;
}

/**
 * `stockbook post --server URL --to DATETIME`: end-of-day posting run by the server (a job there), the report printed here.
 * Posting is idempotent by construction, so a connection lost during the run loses nothing: the client reconnects and
 * reads the batch the server finished.
 */
export async function remotePost(
  client: RemoteClient,
  o: { to?: string; target?: string; summarised?: boolean },
  out: (s: string) => void = (s) => console.log(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  if (!o.to) throw new AppError('VALIDATION', '--to is required: give the date and time to post up to, e.g. --to 2026-01-31 (the end of that day in the company time zone).');
  const target = o.target ?? 'builtin';
  const summarised = o.summarised ?? false;
  const preview = result<PostingPreview>(await client.invoke('posting.preview', { to: o.to, target, summarised }));
  const before = result<BatchSummary[]>(await client.invoke('posting.batches', {}));
  const lastBefore = before.reduce((m, b) => Math.max(m, b.id), 0);
  err(`Posting ${preview.unposted.toLocaleString('en-GB')} movements up to ${preview.to} on the server ${client.address.label}…\n`);
  let jobId = '';
  let finished: JobFinished | null = null;
  let wake = () => undefined as void;
  const offEvent = client.on('job.finished', (payload) => {
    const f = payload as JobFinished;
    if (f.jobId === jobId) {
      finished = f;
      wake();
    }
  });
  // An event missed while the connection was down: after reconnecting, the batch list says whether the run ended.
  const offStatus = client.onStatus((s) => s === 'open' && wake());
  try {
    jobId = result<{ jobId: string }>(await client.invoke('posting.start', { to: o.to, target, summarised, expectedMovements: preview.unposted })).jobId;
    let batch: BatchSummary | undefined;
    for (;;) {
      const done = finished as JobFinished | null;
      if (done && !done.ok) throw new AppError('CONFLICT', `The server did not finish the posting: ${done.message}`);
      const batches = result<BatchSummary[]>(await client.invoke('posting.batches', {}));
      batch = batches.find((b) => b.id > lastBefore && b.finishedAt !== null && b.reversalOf === null);
      if (batch || done) break;
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 2_000);
      });
    }
    if (!batch) throw new AppError('CONFLICT', 'The server finished the posting job but shows no new batch. Look at Posting in Stockbook.');
    const report = result<PostingReport>(await client.invoke('posting.report', { batchId: batch.id }));
    const company = result<CompanyInfo>(await client.invoke('company.get', {}));
    out(reportText(report, company.settings));
    return report.status === 'posted' && report.balanced && report.entryCheckOk ? 0 : 1;
  } finally {
    offEvent();
    offStatus();
  }
}
