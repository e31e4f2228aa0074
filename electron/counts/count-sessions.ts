import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { CountCreateInput } from '../../shared/contract/counts.schemas';
import type { CountQueries } from './count-queries';

/** Creating (with its snapshot) and cancelling count sessions. */
export class CountSessions {
  private readonly s;
  constructor(private readonly db: Database.Database, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {
    this.s = {
      site: db.prepare('SELECT id, name, kind FROM sites WHERE id = ?'),
      bin: db.prepare('SELECT id, site_id AS siteId, code FROM bins WHERE id = ?'),
      head: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM movements'),
      insert: db.prepare('INSERT INTO count_sessions (site_id, bin_id, notes, status, snapshot_seq, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)'),
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
        throw new AppError('VALIDATION', `Site ${input.siteId} is not a site that holds stock. Pick a warehouse or shop.`, { field: 'siteId' });
      }
      if (input.binId !== undefined) {
        const bin = this.s.bin.get(input.binId) as { id: number; siteId: number } | undefined;
        if (!bin || bin.siteId !== site.id) {
          throw new AppError('VALIDATION', `Bin ${input.binId} is not a bin of ${site.name}. Pick one of its bins, or leave the bin empty for a full count.`, { field: 'binId' });
        }
      }
      const snapshotSeq = (this.s.head.get() as { seq: number }).seq;
      const id = Number(
        this.s.insert.run(site.id, input.binId ?? null, input.notes || null, 'DRAFT', snapshotSeq, this.clock(), userId).lastInsertRowid,
      );
      if (input.binId === undefined) this.s.snapshotSite.run(id, site.id);
      else this.s.snapshotBin.run(id, site.id, input.binId);
      return id;
    })();
  }

  /** Cancels a DRAFT session; nothing is posted. */
  cancel(sessionId: number, userId: number): void {
    this.db.transaction(() => {
      this.queries.requireDraft(sessionId);
      this.s.cancel.run(this.clock(), userId, sessionId);
    })();
  }
}
