import type Database from 'better-sqlite3';
import type { HistoryInput } from '../../shared/contract/masterdata.schemas';
import type { AuditRow } from '../ledger/entities/safety.entities';
import type { HistoryRecords } from './history-format';

/** One master-data audit entry as stored: who, when, and the record before and after. */
export type HistoryRow = Pick<AuditRow, 'id' | 'at' | 'username'> & {
  detail: { record: string; id?: number; label?: string; before: unknown; after: unknown };
};

/** An entry as read (its detail still JSON text), parsed: the same for both stores. */
export const toHistoryRow = (r: Pick<AuditRow, 'id' | 'at' | 'username' | 'detail'>): HistoryRow => ({ ...r, detail: JSON.parse(r.detail) as HistoryRow['detail'] });

const SELECT = `SELECT id, at, username, detail FROM audit_log WHERE action = 'master-data-changed'`;
const OF = `json_extract(detail, '$.record') = ? AND json_extract(detail, '$.id')`;

/** The audit log's master-data entries of one record (a site's include its bins', a supplier's its supplier codes'), newest first. */
export class HistoryStore implements HistoryRecords {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      record: db.prepare(`${SELECT} AND ${OF} = ? ORDER BY id DESC LIMIT ?`),
      // a supplier code's entry carries its supplier's id
      supplier: db.prepare(
        `SELECT * FROM (${SELECT} AND ${OF} = ? UNION ALL ${SELECT} AND ${OF} = ?) ORDER BY id DESC LIMIT ?`,
      ),
      site: db.prepare(
        `SELECT * FROM (${SELECT} AND ${OF} = ?
           UNION ALL ${SELECT} AND ${OF} IN (SELECT id FROM bins WHERE site_id = ?))
         ORDER BY id DESC LIMIT ?`,
      ),
    };
  }

  entries(record: HistoryInput['record'], id: number, limit = 500): HistoryRow[] {
    const found =
      record === 'site'
        ? this.s.site.all('site', id, 'bin', id, limit)
        : record === 'supplier'
          ? this.s.supplier.all('supplier', id, 'supplier-code', id, limit)
          : this.s.record.all(record, id, limit);
    const rows = found as (Omit<HistoryRow, 'detail'> & { detail: string })[];
    return rows.map(toHistoryRow);
  }
}
