/** Records two people may edit at once (optimistic versioning, migration 0030). */
export type VersionedRecord = 'product' | 'site' | 'adjustment draft' | 'adjustment draft line' | 'count line';

/**
 * The details of a save refused because someone else saved the record first: who, when (in the company's format),
 * the version now stored, and the record's current values, so the window can show them and offer to reload.
 */
export interface StaleRecordDetails {
  field: 'version';
  stale: true;
  record: VersionedRecord;
  id: number;
  version: number;
  changedBy: string | null;
  changedAt: string | null;
  current: unknown;
}

export function isStaleRecord(details: unknown): details is StaleRecordDetails {
  return typeof details === 'object' && details !== null && (details as { stale?: unknown }).stale === true;
}
