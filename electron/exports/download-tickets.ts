import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';

/** How long a download address stays valid. */
export const TICKET_TTL_MS = 5 * 60_000;
export const DOWNLOAD_PATH = '/downloads/';

export interface DownloadTicket {
  file: string;
  fileName: string;
}

/**
 * Browser mode: a finished export is fetched over HTTP through a one-time address made for a signed-in session
 * (exports.download checks the caller like any call). The address is unguessable, used once and expires.
 */
export class DownloadTickets {
  private readonly tickets = new Map<string, DownloadTicket & { expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(file: string): { url: string; fileName: string } {
    this.prune();
    const ticket = randomBytes(24).toString('base64url');
    const fileName = basename(file);
    this.tickets.set(ticket, { file, fileName, expires: this.now() + TICKET_TTL_MS });
    return { url: `${DOWNLOAD_PATH}${ticket}`, fileName };
  }

  /** The file for a ticket, once; null for an unknown, used or expired one. */
  take(ticket: string): DownloadTicket | null {
    const t = this.tickets.get(ticket);
    if (!t) return null;
    this.tickets.delete(ticket);
    return t.expires >= this.now() ? { file: t.file, fileName: t.fileName } : null;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, t] of this.tickets) if (t.expires < now) this.tickets.delete(k);
  }
}
