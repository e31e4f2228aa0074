import { AppError } from '../../shared/contract/errors';
import {
  countReference,
  type CountBin,
  type CountLine,
  type CountLineCode,
  type CountMovementSince,
  type CountSessionInfo,
  type CountStatus,
} from '../../shared/counts';
import { draftHead, existingHead } from './count-rules';
import type { CodeRow, CountStore, LineRow, MovementSinceRow, SessionHead, SessionRow } from './count-store';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The rows as both stores read them, shaped once into the answers (times as ISO text). */
const serials = (joined: string | null): string[] => (joined ? joined.split('\n') : []);
export const toLine = (r: LineRow): CountLine => ({ ...r, countedAt: iso(r.countedAt), missingSerials: serials(r.missingSerials), foundSerials: serials(r.foundSerials) });
export const toCode = (r: CodeRow): CountLineCode => ({ ...r, scannedAt: iso(r.scannedAt)! });
export const toMovementSince = (r: MovementSinceRow): CountMovementSince => ({ ...r, occurredAt: iso(r.occurredAt)! });

/** The refusal of a line id that is not a line of the count. */
export const lineNotFound = (sessionId: number) =>
  new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`);

/** Reads of count sessions, lines and codes (a 10,000-line sheet in one query; the SQL is in count-store.ts). */
export class CountQueries {
  constructor(private readonly store: CountStore) {}

  session(id: number): CountSessionInfo {
    const row = this.store.session(id);
    if (!row) throw new AppError('NOT_FOUND', `Stock count ${countReference(id)} does not exist. Pick a count from the list.`);
    return toInfo(row);
  }

  list(status?: CountStatus): CountSessionInfo[] {
    return this.store.sessions(status).map(toInfo);
  }

  lines(sessionId: number): CountLine[] {
    return this.store.lines(sessionId).map(toLine);
  }

  line(sessionId: number, lineId: number): CountLine {
    const row = this.store.line(sessionId, lineId);
    if (!row) throw lineNotFound(sessionId);
    return toLine(row);
  }

  lineCodes(sessionId: number, lineId: number): CountLineCode[] {
    this.line(sessionId, lineId);
    return this.store.codes(lineId).map(toCode);
  }

  /** The bins of a site with how many quants a count of each would snapshot. */
  bins(siteId: number): CountBin[] {
    return this.store.bins(siteId);
  }

  /** The movements at a line's quant recorded after the session's snapshot. */
  lineMovements(sessionId: number, lineId: number): CountMovementSince[] {
    const s = this.head(sessionId);
    const key = this.store.lineKey(sessionId, lineId);
    if (!key) throw lineNotFound(sessionId);
    return this.store.movementsSince(s.snapshotSeq, key, s.siteId).map(toMovementSince);
  }

  head(sessionId: number): SessionHead {
    return existingHead(sessionId, this.store.head(sessionId));
  }

  /** Throws unless the session is still open for counting. */
  requireDraft(sessionId: number): SessionHead {
    return draftHead(sessionId, this.store.head(sessionId));
  }
}

export function toInfo(r: SessionRow): CountSessionInfo {
  return {
    ...r,
    reference: countReference(r.id),
    backdated: r.backdated === 1,
    occurredAt: iso(r.occurredAt)!,
    createdAt: iso(r.createdAt)!,
    completedAt: iso(r.completedAt),
    cancelledAt: iso(r.cancelledAt),
  };
}
