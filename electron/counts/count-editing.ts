import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import { countReference } from '../../shared/counts';
import type { CountQueries } from './count-queries';

/** Counted quantities and the keep-counted / keep-difference choice; every edit autosaves as one small write. */
export class CountEditing {
  private readonly s;
  constructor(private readonly db: Database.Database, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {
    this.s = {
      tracking: db.prepare(
        `SELECT p.tracking, p.sku, (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id) AS codes
         FROM count_lines l JOIN products p ON p.id = l.product_id WHERE l.id = ? AND l.session_id = ?`,
      ),
      setCounted: db.prepare('UPDATE count_lines SET counted_qty = ?, counted_at = ?, counted_by = ? WHERE id = ? AND session_id = ?'),
      setResolutionAll: db.prepare('UPDATE count_lines SET resolution = ? WHERE session_id = ?'),
      setResolution: db.prepare('UPDATE count_lines SET resolution = ? WHERE id = ? AND session_id = ?'),
    };
  }

  /** One line's counted quantity (null = blank again). Serial/RFID lines are counted by their codes. */
  setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number): void {
    this.db.transaction(() => {
      this.queries.requireDraft(sessionId);
      this.write(sessionId, lineId, countedQty, userId);
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
      if (!input.lineIds) return { updated: this.s.setResolutionAll.run(input.resolution, input.sessionId).changes };
      let updated = 0;
      for (const id of input.lineIds) updated += this.s.setResolution.run(input.resolution, id, input.sessionId).changes;
      return { updated };
    })();
  }

  private write(sessionId: number, lineId: number, countedQty: number | null, userId: number): void {
    const line = this.s.tracking.get(lineId, sessionId) as { tracking: string; sku: string; codes: number } | undefined;
    if (!line) throw new AppError('NOT_FOUND', `Line ${lineId} is not a line of stock count ${countReference(sessionId)}. Reload the count sheet.`, { lineId });
    if ((line.tracking === 'SERIAL' || line.tracking === 'RFID') && countedQty !== null && (countedQty !== 0 || line.codes > 0)) {
      throw new AppError(
        'VALIDATION',
        `${line.sku} is ${line.tracking.toLowerCase()}-tracked: scan or type each ${line.tracking === 'RFID' ? 'tag' : 'serial number'} to count it (enter 0 only when none are there).`,
        { lineId },
      );
    }
    this.s.setCounted.run(countedQty, countedQty === null ? null : this.clock(), countedQty === null ? null : userId, lineId, sessionId);
  }
}
