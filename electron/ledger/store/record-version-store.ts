import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import type { StaleRecordDetails, VersionedRecord } from '../../../shared/record-version';
import { companyDateTime } from '../../company/company-time';

const TABLES: Record<VersionedRecord, string> = {
  product: 'products',
  site: 'sites',
  'adjustment draft': 'adjustment_drafts',
  'adjustment draft line': 'adjustment_draft_lines',
  'count line': 'count_lines',
};

/** The version now stored for a record, and who changed it last and when. */
export function recordStamp(db: Database.Database, record: VersionedRecord, id: number): { version: number; changedBy: string | null; changedAt: number | null } | null {
  const row = db
    .prepare(`SELECT t.version, t.updated_at AS changedAt, u.display_name AS changedBy FROM ${TABLES[record]} t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = ?`)
    .get(id) as { version: number; changedAt: number | null; changedBy: string | null } | undefined;
  return row ?? null;
}

/**
 * The refusal of a save made from an older version (the UPDATE's `WHERE version = ?` matched nothing): it names the
 * record, who changed it and when, in the company's format, and carries the current values. Thrown inside the
 * write's transaction, so nothing of the refused save is written.
 */
export function staleRecord(db: Database.Database, record: VersionedRecord, id: number, label: string, current: unknown): AppError {
  const stamp = recordStamp(db, record, id);
  return staleRefusal(stamp, stamp?.changedAt ? companyDateTime(db, stamp.changedAt) : null, record, id, label, current);
}

/** The refusal of staleRecord from a stamp a store read itself (`changedAt` already formatted for the user). */
export function staleRefusal(
  stamp: { version: number; changedBy: string | null } | null,
  changedAt: string | null,
  record: VersionedRecord,
  id: number,
  label: string,
  current: unknown,
): AppError {
  const who = stamp?.changedBy ?? 'someone else';
  const details: StaleRecordDetails = { field: 'version', stale: true, record, id, version: stamp?.version ?? 0, changedBy: stamp?.changedBy ?? null, changedAt, current };
  return new AppError(
    'CONFLICT',
    `${label} was changed by ${who}${changedAt ? ` at ${changedAt}` : ''} after you opened it, so your change was not saved. Reload to see the current values, then make your change again.`,
    details,
  );
}
