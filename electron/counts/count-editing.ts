import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import { countReference } from '../../shared/counts';
import { LEDGER_HEAD_SQL, type CountQueries } from './count-queries';
import { staleRecord } from '../ledger/store/record-version-store';

/** Counted quantities (with when they were entered) and the by time / keep counted / keep difference choice; every edit autosaves as one small write. */
export class CountEditing {
  private readonly s;
  constructor(private readonly db: Database.Database, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {
    this.s = {
      tracking: db.prepare(
        `SELECT p.tracking, p.sku, (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id) AS codes
         FROM count_lines l JOIN products p ON p.id = l.product_id WHERE l.id = ? AND l.session_id = ?`,
      ),
      // counted_at and counted_seq: when the quantity was entered, so later movements resolve as "moved after counting"
      // (a back-dated count ignores them: its lines were counted on its date, see movedAfterCountSql).
      setCounted: db.prepare(
        `UPDATE count_lines SET counted_qty = @qty, counted_at = @at, counted_by = @by, counted_seq = CASE WHEN @qty IS NULL THEN NULL ELSE ${LEDGER_HEAD_SQL} END,
           version = version + 1, updated_at = @now, updated_by = @user
         WHERE id = @line AND session_id = @session AND (@version IS NULL OR version = @version)`,
      ),
      // by_time is the default (resolution_chosen = 0); keep counted / keep difference are the user's choice.
      setResolutionAll: db.prepare(
        "UPDATE count_lines SET resolution = CASE WHEN @r = 'by_time' THEN 'keep_counted' ELSE @r END, resolution_chosen = @r <> 'by_time' WHERE session_id = @session",
      ),
      setResolution: db.prepare(
        "UPDATE count_lines SET resolution = CASE WHEN @r = 'by_time' THEN 'keep_counted' ELSE @r END, resolution_chosen = @r <> 'by_time' WHERE id = @line AND session_id = @session",
      ),
    };
  }

  /** One line's counted quantity (null = blank again). Serial/RFID lines are counted by their codes. */
  /** `version`: the line's version the counter saw; a save from an older one is refused and writes nothing. */
  setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): void {
    this.db.transaction(() => {
      this.queries.requireDraft(sessionId);
      this.write(sessionId, lineId, countedQty, userId, version);
    })();
  }

  /** Many lines in one transaction (CSV import); all or none. */
  setCountedMany(input: CountSetCountedManyInput, userId: number): { updated: number } {
    return this.db.transaction(() => {
      this.queries.requireDraft(input.sessionId);
      for (const e of input.entries) this.write(input.sessionId, e.lineId, e.countedQty, userId);
      return { updated: input.entries.length };
    })();
  }

  setResolution(input: CountSetResolutionInput): { updated: number } {
    return this.db.transaction(() => {
      this.queries.requireDraft(input.sessionId);
      if (!input.lineIds) return { updated: this.s.setResolutionAll.run({ r: input.resolution, session: input.sessionId }).changes };
      let updated = 0;
      for (const id of input.lineIds) updated += this.s.setResolution.run({ r: input.resolution, line: id, session: input.sessionId }).changes;
      return { updated };
    })();
  }

  private write(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): void {
    const line = this.s.tracking.get(lineId, sessionId) as { tracking: string; sku: string; codes: number } | undefined;
    if (!line) throw new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`, { lineId });
    if ((line.tracking === 'SERIAL' || line.tracking === 'RFID') && countedQty !== null && (countedQty !== 0 || line.codes > 0)) {
      throw new AppError(
        'VALIDATION',
        `${line.sku} is ${line.tracking.toLowerCase()}-tracked: scan or type each ${line.tracking === 'RFID' ? 'tag' : 'serial number'} to count it (enter 0 only when none are there).`,
        { lineId },
      );
    }
    const blank = countedQty === null;
    const now = this.clock();
    const { changes } = this.s.setCounted.run({ qty: countedQty, at: blank ? null : now, by: blank ? null : userId, line: lineId, session: sessionId, now, user: userId || null, version: version ?? null });
    if (changes === 0) throw staleRecord(this.db, 'count line', lineId, `The count of ${line.sku} on ${countReference(sessionId)}`, this.queries.line(sessionId, lineId));
  }
}
