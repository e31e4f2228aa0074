import type pg from 'pg';
import type { HistoryInput } from '../../shared/contract/masterdata.schemas';
import type { HistoryRecords } from './history-format';
import { toHistoryRow, type HistoryRow } from './history-store';

/**
 * Whose entries a record's History tab shows besides its own, as SQLite's HistoryStore does: a site's bins', a
 * supplier's supplier codes' (whose entry carries the supplier's id). SQL giving the ids as jsonb; $2 is the record's id.
 */
const ALSO: Partial<Record<HistoryInput['record'], { record: string; ids: string }>> = {
  site: { record: 'bin', ids: 'SELECT to_jsonb(b.id) FROM bins b WHERE b.site_id = $2' },
  supplier: { record: 'supplier-code', ids: 'SELECT to_jsonb($2::int)' },
};

/**
 * The audit log's master-data entries of one record on PostgreSQL (audit_log.detail is JSON text), newest first, found
 * through pg 0010's IDX_audit_log_master_record (its expressions are the ones written here).
 */
export class PgHistoryStore implements HistoryRecords {
  constructor(private readonly db: pg.Pool | pg.PoolClient) {}

  async entries(record: HistoryInput['record'], id: number, limit = 500): Promise<HistoryRow[]> {
    const also = ALSO[record];
    const of = (kind: string, ids: string) => `SELECT id, at, username, detail FROM audit_log
      WHERE action = 'master-data-changed' AND (detail::jsonb) ->> 'record' = ${kind} AND (detail::jsonb) -> 'id' IN (${ids})`;
    const own = of('$1', 'SELECT to_jsonb($2::int)');
    const sql = `SELECT * FROM (${also ? `${own} UNION ALL ${of('$4', also.ids)}` : own}) AS e ORDER BY id DESC LIMIT $3`;
    const rows = await this.db.query<Omit<HistoryRow, 'detail'> & { detail: string }>(sql, also ? [record, id, limit, also.record] : [record, id, limit]);
    return rows.rows.map(toHistoryRow);
  }
}
