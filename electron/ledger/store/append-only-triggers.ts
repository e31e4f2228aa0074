import type Database from 'better-sqlite3';

/** The tables SQLite keeps append-only, and the triggers that refuse each change. */
export const APPEND_ONLY_TRIGGERS = [
  { table: 'movements', name: 'TRG_movements_no_update', op: 'UPDATE' },
  { table: 'movements', name: 'TRG_movements_no_delete', op: 'DELETE' },
  { table: 'audit_log', name: 'TRG_audit_log_no_update', op: 'UPDATE' },
  { table: 'audit_log', name: 'TRG_audit_log_no_delete', op: 'DELETE' },
  { table: 'chain_anchors', name: 'TRG_chain_anchors_no_update', op: 'UPDATE' },
  { table: 'chain_anchors', name: 'TRG_chain_anchors_no_delete', op: 'DELETE' },
] as const;

const norm = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/**
 * Each append-only trigger must exist and still refuse every change: BEFORE <op> ON <table>, no WHEN clause,
 * and a body that only raises ABORT. A trigger of the right name that was replaced by a harmless one is caught too.
 */
export function triggerProblems(db: Database.Database, tables: readonly string[] = ['movements', 'audit_log', 'chain_anchors']): string[] {
  const rows = db.prepare("SELECT name, tbl_name AS tbl, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; tbl: string; sql: string | null }[];
  const byName = new Map(rows.map((r) => [r.name, r]));
  const problems: string[] = [];
  for (const t of APPEND_ONLY_TRIGGERS) {
    if (!tables.includes(t.table)) continue;
    const row = byName.get(t.name);
    const shape = new RegExp(`^CREATE TRIGGER "?${t.name}"? BEFORE ${t.op} ON "?${t.table}"? (FOR EACH ROW )?BEGIN SELECT RAISE\\(ABORT, '[^']*'\\); END$`, 'i');
    if (!row) problems.push(`${t.name} is missing: nothing refuses ${t.op} on ${t.table}`);
    else if (row.tbl !== t.table || !shape.test(norm(row.sql ?? ''))) problems.push(`${t.name} was changed: it no longer refuses every ${t.op} on ${t.table}`);
  }
  return problems;
}
