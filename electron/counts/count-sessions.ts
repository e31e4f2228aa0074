import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { CountCreateInput } from '../../shared/contract/counts.schemas';
import { FUTURE_TOLERANCE_MS } from '../ledger/store/document-poster';
import { companyDateTime } from '../company/company-time';
import type { CountQueries } from './count-queries';


/** Creating (with its snapshot) and cancelling count sessions. */
export class CountSessions {
  private readonly s;
  constructor(private readonly db: Database.Database, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {
    this.s = {
      site: db.prepare('SELECT id, name, kind FROM sites WHERE id = ?'),
      bin: db.prepare('SELECT id, site_id AS siteId, code FROM bins WHERE id = ?'),
      head: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM movements'),
      insert: db.prepare(
        'INSERT INTO count_sessions (site_id, bin_id, notes, status, snapshot_seq, occurred_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // The latest movement in scope dated after a time (uses the occurred_at index; a backdate of days reads days).
      movedAfter: db.prepare(
        `SELECT m.occurred_at AS occurredAt, p.sku FROM movements m JOIN products p ON p.id = m.product_id
         WHERE m.occurred_at > @t AND m.site_id = @site AND (@bin IS NULL OR m.bin_id = @bin) ORDER BY m.occurred_at DESC LIMIT 1`,
      ),
      // The snapshot: every non-zero quant in scope becomes a line, in one statement.
      snapshotSite: db.prepare(
        `INSERT INTO count_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty)
         SELECT ?, id, product_id, bin_id, batch_id, qty FROM stock_levels WHERE site_id = ? AND qty <> 0`,
      ),
      snapshotBin: db.prepare(
        `INSERT INTO count_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty)
         SELECT ?, id, product_id, bin_id, batch_id, qty FROM stock_levels WHERE site_id = ? AND bin_id = ? AND qty <> 0`,
      ),
      cancel: db.prepare("UPDATE count_sessions SET status = 'CANCELLED', cancelled_at = ?, cancelled_by = ? WHERE id = ? AND status = 'DRAFT'"),
    };
  }

  /** Creates a DRAFT session and snapshots every quant in scope (whole site, or one bin). Returns the session id. */
  create(input: CountCreateInput, userId: number): number {
    return this.db.transaction(() => {
      const site = this.s.site.get(input.siteId) as { id: number; name: string; kind: string } | undefined;
      if (!site || site.kind === 'external') {
        throw new AppError('VALIDATION', site ? `${site.name} is not a site that holds stock. Pick a warehouse or shop.` : 'The site picked does not exist (it may have been removed). Pick a warehouse or shop.', { field: 'siteId' });
      }
      if (input.binId !== undefined) {
        const bin = this.s.bin.get(input.binId) as { id: number; siteId: number } | undefined;
        if (!bin || bin.siteId !== site.id) {
          throw new AppError('VALIDATION', `The bin picked is not a bin of ${site.name}. Pick one of its bins, or leave the bin empty for a full count.`, { field: 'binId' });
        }
      }
      const now = this.clock();
      const occurredAt = this.effectiveTime(input, site.name, now);
      const snapshotSeq = (this.s.head.get() as { seq: number }).seq;
      const id = Number(
        this.s.insert.run(site.id, input.binId ?? null, input.notes || null, 'DRAFT', snapshotSeq, occurredAt, now, userId).lastInsertRowid,
      );
      if (input.binId === undefined) this.s.snapshotSite.run(id, site.id);
      else this.s.snapshotBin.run(id, site.id, input.binId);
      return id;
    })();
  }

  /**
   * When the count was taken: now by default, or earlier (a count taken on paper and entered later, a count dated to
   * period end). Not in the future (the same few minutes' clock tolerance as documents), and not before stock in scope
   * last moved: the snapshot is taken now, so it must not hold stock that arrived or left after the count's date.
   */
  private effectiveTime(input: CountCreateInput, siteName: string, now: number): number {
    if (input.occurredAt === undefined) return now;
    const t = Date.parse(input.occurredAt);
    if (t > now + FUTURE_TOLERANCE_MS) {
      throw new AppError('VALIDATION', `The count date ${companyDateTime(this.db, t)} is in the future. Date the count when it was taken: now or earlier.`, { field: 'occurredAt' });
    }
    const later = this.s.movedAfter.get({ t, site: input.siteId, bin: input.binId ?? null }) as { occurredAt: number; sku: string } | undefined;
    if (later) {
      throw new AppError(
        'VALIDATION',
        `Stock at ${siteName}${input.binId !== undefined ? ' in this bin' : ''} moved after ${companyDateTime(this.db, t)} (${later.sku} on ${companyDateTime(this.db, later.occurredAt)}), and the count's snapshot taken now includes that. Date the count at ${companyDateTime(this.db, later.occurredAt)} or later, or leave the date as now.`,
        { field: 'occurredAt' },
      );
    }
    return t;
  }

  /** Cancels a DRAFT session; nothing is posted. */
  cancel(sessionId: number, userId: number): void {
    this.db.transaction(() => {
      this.queries.requireDraft(sessionId);
      this.s.cancel.run(this.clock(), userId, sessionId);
    })();
  }
}
