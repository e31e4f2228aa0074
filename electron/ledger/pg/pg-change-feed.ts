import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { StockChange } from '../../../shared/contract/events';
import { shownAddress } from '../../cli/pg-verify-command';
import type { PgConnection } from './pg-types';
import { listen, notify } from './store/pg-notify-store';

/** The channel every Stockbook server on one database announces its writes on, and listens to. */
export const CHANGE_CHANNEL = 'stockbook_changes';
/**
 * The channel a server that found the ledger damaged (its full check failed) tells the others on, so they stop too; and
 * `stockbook verify --clear-safe-mode` tells them on once it cleared a finding, so those in safe mode leave it now.
 */
export const SAFE_MODE_CHANNEL = 'stockbook_safe_mode';
/** PostgreSQL refuses a notification payload of 8000 bytes or more; a change that would be longer drops its id lists. */
export const MAX_NOTICE_BYTES = 7_900;
/** The listening connection's name in pg_stat_activity, followed by the server's id (an administrator can see, or end, it there). */
export const LISTEN_APPLICATION_NAME = 'stockbook-listen';
/** The reason of the change a server hears after its listening connection came back: anything may have changed meanwhile. */
export const RECONNECTED_REASON = 'reconnected';
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

interface Notice {
  server: string;
  change: StockChange;
}

/** A change as one notification's text: the server that wrote it and the same StockChange its own windows hear. */
export function noticeText(server: string, change: StockChange): string {
  const full = JSON.stringify({ server, change } satisfies Notice);
  if (Buffer.byteLength(full) <= MAX_NOTICE_BYTES) return full;
  // Without the lists a listener takes it as "any product or site may have changed" (LedgerChanges), as for an import.
  const { products: _products, sites: _sites, ...small } = change;
  return JSON.stringify({ server, change: small } satisfies Notice);
}

/** A notification's change, or null when the text is not one (another program on the channel). */
export function readNotice(text: string): Notice | null {
  try {
    const n = JSON.parse(text) as Partial<Notice> | null;
    const c = n?.change;
    if (typeof n?.server !== 'string' || !c || typeof c.reason !== 'string' || (c.documentId !== null && !Number.isSafeInteger(c.documentId))) return null;
    return n as Notice;
  } catch {
    return null;
  }
}

/**
 * A server's word that it found the ledger damaged: its id and the audit entry ('safe-mode-entered') it wrote about it;
 * or verify's that it cleared one ('stockbook verify' and its 'safe-mode-cleared' entry).
 * The notice says no more: anyone who can connect may send a notification, so a server hearing one reads the entry,
 * which only the ledger's own role can have written, and believes the entry, never the notice (pg-host.ts).
 */
export interface SafeModeNotice {
  server: string;
  audit: number;
}

export const safeModeText = (server: string, audit: number): string => JSON.stringify({ server, audit } satisfies SafeModeNotice);

/** A notification's safe-mode notice, or null when the text is not one. */
export function readSafeModeNotice(text: string): SafeModeNotice | null {
  try {
    const n = JSON.parse(text) as Partial<SafeModeNotice> | null;
    return typeof n?.server === 'string' && n.server.length <= 64 && Number.isSafeInteger(n.audit) && n.audit! > 0 ? { server: n.server, audit: n.audit! } : null;
  } catch {
    return null;
  }
}

export interface ChangeFeed {
  /** This server's id in its notifications: a notification carrying it is its own, already told to its windows. */
  readonly serverId: string;
  /** Tells the other servers of a committed change (in the order published; a failure is logged, never thrown). */
  publish(change: StockChange): void;
  /** Tells the other servers this one found the ledger damaged, naming its audit entry about it (sent after the changes published before it; a failure is logged). */
  announceSafeMode(audit: number): Promise<void>;
  /** Settles once every change published so far has been sent (or failed). */
  sent(): Promise<void>;
  /** Settles once the first attempt to listen has ended (listening, or retrying in the background). */
  started: Promise<void>;
  close(): Promise<void>;
}

/**
 * Live updates across the Stockbook servers of one PostgreSQL database. Each server announces every committed change
 * (the same StockChange its own windows hear) with pg_notify, and keeps one connection of its own that LISTENs: a change
 * another server announced is handed to `heard` (main then coalesces it into ledger.changed like a local one); its own
 * are recognised by the server id and skipped, so a window never hears a change twice.
 *
 * The listening connection may be dropped (the database restarted, an administrator ended it): that is logged, never
 * fatal, and it reconnects (100 ms, doubling to 5 s). Notifications sent while it was away are lost, so on reconnecting
 * `heard` is told "anything may have changed" (reason `reconnected`) and the windows read again. The same connection
 * hears SAFE_MODE_CHANNEL: a server whose checks found the ledger damaged tells the others of its audit entry, and they
 * stop too (`heardSafeMode`, pg-host.ts); one missed while the connection was away is looked for when it is back (the
 * `reconnected` change) and by the host's own looks (pg-host.ts SAFE_MODE_POLL_MS).
 */
export function startChangeFeed(
  pool: pg.Pool,
  connection: PgConnection,
  heard: (change: StockChange) => void,
  log: (line: string) => void = console.warn,
  /** Another server found the ledger damaged, or verify cleared a finding (SAFE_MODE_CHANNEL): this one looks now (pg-host.ts). */
  heardSafeMode: (notice: SafeModeNotice) => void = () => undefined,
): ChangeFeed {
  const serverId = randomUUID();
  const where = shownAddress(connection);
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  let client: pg.Client | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = RETRY_FIRST_MS;
  let listenedBefore = false;
  let reported = false;

  const connect = async (): Promise<void> => {
    timer = null;
    if (closed) return;
    const c = new pg.Client({ ...connection, application_name: `${LISTEN_APPLICATION_NAME} ${serverId}` });
    client = c;
    let lost = false;
    const drop = (why: string) => {
      if (lost) return;
      lost = true;
      if (client === c) client = null;
      c.removeAllListeners('notification');
      void c.end().catch(() => undefined);
      if (closed) return;
      if (!reported) log(`Stockbook: the live-update connection to ${where} was lost (${why}); changes made on other servers show when it is back. Reconnecting.`);
      reported = true;
      timer = setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
    c.on('error', (e: Error) => drop(e.message));
    c.on('end', () => drop('the database closed it'));
    c.on('notification', (m) => {
      if (!m.payload) return;
      if (m.channel === SAFE_MODE_CHANNEL) {
        const n = readSafeModeNotice(m.payload);
        if (n && n.server !== serverId) heardSafeMode(n);
        return;
      }
      if (m.channel !== CHANGE_CHANNEL) return;
      const n = readNotice(m.payload);
      if (n && n.server !== serverId) heard(n.change);
    });
    try {
      await c.connect();
      await listen(c, CHANGE_CHANNEL);
      await listen(c, SAFE_MODE_CHANNEL);
    } catch (e) {
      drop(e instanceof Error ? e.message : String(e));
      return;
    }
    if (lost) return;
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    retryMs = RETRY_FIRST_MS;
    if (reported) log(`Stockbook: the live-update connection to ${where} is back.`);
    reported = false;
    if (listenedBefore) heard({ documentId: null, reason: RECONNECTED_REASON });
    listenedBefore = true;
  };
  const started = connect();

  return {
    serverId,
    started,
    publish: (change) => {
      const text = noticeText(serverId, change);
      queue = queue
        .then(() => notify(pool, CHANGE_CHANNEL, text))
        .catch((e: unknown) => log(`Stockbook: other servers were not told of a change (${e instanceof Error ? e.message : String(e)}); their windows show it when they next read.`));
    },
    announceSafeMode: (audit) => {
      const text = safeModeText(serverId, audit);
      queue = queue
        .then(() => notify(pool, SAFE_MODE_CHANNEL, text))
        .catch((e: unknown) => log(`Stockbook: the other servers were not told that this one found the ledger damaged (${e instanceof Error ? e.message : String(e)}); each finds its audit entry at its next look (every 30 s).`));
      return queue;
    },
    sent: () => queue,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await started;
      await queue;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
