import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A server's standing safe mode is read at every start and polled while it runs (pg-audit-store.ts
 * pgStandingSafeMode): the newest 'safe-mode-entered' entry no 'safe-mode-cleared' entry cleared. The audit log grows
 * with every sign-in and master-data change, and nothing else indexes its actions; this index holds only those two
 * actions' entries, so the read stays a few index pages however long the log grows.
 */
export class PgSafeModeEntries1764700002900 implements MigrationInterface {
  name = 'PgSafeModeEntries1764700002900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_audit_log_safe_mode" ON "audit_log" ("action", "id") WHERE "action" IN ('safe-mode-entered', 'safe-mode-cleared')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_audit_log_safe_mode"`);
  }
}
