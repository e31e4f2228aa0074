import type pg from 'pg';
import type { HistoryInput } from '../../shared/contract/masterdata.schemas';
import { toHistoryRow, type HistoryRow } from './history-store';

/**
 * Whose entries a record's History tab shows besides its own, as SQLite's HistoryStore does: a site's bins', a
 * supplier's supplier codes' (whose entry carries the supplier's id). SQL giving the ids as jsonb; $2 is the record's id.
 */
const ALSO: Partial<Record<HistoryInput['record'], { record: string; ids: string }>> = {
  site: { record: 'bin', ids: 'SELECT to_jsonb(b.id) FROM bins b WHERE b.site_id = $2' },
  supplier: { record: 'supplier-code', ids: 'SELECT to_jsonb($2::int)' },
};

/** The audit log's master-data entries of one record on PostgreSQL (audit_log.detail is JSON text), newest first. */
export class PgHistoryStore {
  constructor(private readonly db: pg.Pool | pg.PoolClient) {}

  async entries(record: HistoryInput['record'], id: number, limit = 500): Promise<HistoryRow[]> {
    const also = ALSO[record];
    const sql = `SELECT id, at, username, detail FROM (
        SELECT id, at, username, detail, detail::jsonb AS d FROM audit_log WHERE action = 'master-data-changed') AS e
      WHERE (d ->> 'record' = $1 AND d -> 'id' = to_jsonb($2::int))${also ? ` OR (d ->> 'record' = $4 AND d -> 'id' IN (${also.ids}))` : ''}
      ORDER BY id DESC LIMIT $3`;
    const rows = await this.db.query<Omit<HistoryRow, 'detail'> & { detail: string }>(sql, also ? [record, id, limit, also.record] : [record, id, limit]);
    return rows.rows.map(toHistoryRow);
  }
}
