import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data safety and users (issue 8): PIN hashes on users, an append-only audit log, key/value settings,
 * and the record of every backup. Administrators gain "manage:users".
 */
export class SafetyAndUsers1732400000600 implements MigrationInterface {
  name = 'SafetyAndUsers1732400000600';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE "users" ADD COLUMN "pin_hash" text`,
      `CREATE TABLE "audit_log" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "at" bigint NOT NULL,
        "user_id" integer,
        "username" varchar(64) NOT NULL,
        "action" varchar(40) NOT NULL,
        "detail" text NOT NULL DEFAULT ('{}'))`,
      `CREATE INDEX "IDX_audit_log_at" ON "audit_log" ("at")`,
      `CREATE TRIGGER "TRG_audit_log_no_update" BEFORE UPDATE ON "audit_log"
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
      `CREATE TRIGGER "TRG_audit_log_no_delete" BEFORE DELETE ON "audit_log"
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
      `CREATE TABLE "settings" (
        "key" varchar(64) PRIMARY KEY NOT NULL,
        "value" text NOT NULL,
        "updated_at" bigint NOT NULL)`,
      `CREATE TABLE "backups" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "reason" varchar(16) NOT NULL,
        "path" text NOT NULL,
        "started_at" bigint NOT NULL,
        "finished_at" bigint,
        "bytes" bigint NOT NULL DEFAULT (0),
        "ok" boolean NOT NULL DEFAULT (0),
        "integrity" text NOT NULL DEFAULT (''),
        "verify_ok" boolean NOT NULL DEFAULT (0),
        "message" text,
        "removed_at" bigint)`,
      `CREATE INDEX "IDX_backups_started" ON "backups" ("started_at")`,
      `UPDATE "users" SET "permissions" = json_insert("permissions", '$[#]', 'manage:users')
        WHERE "username" IN ('admin', 'system') AND NOT EXISTS (SELECT 1 FROM json_each("permissions") WHERE value = 'manage:users')`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "backups"`);
    await q.query(`DROP TABLE "settings"`);
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "pin_hash"`);
  }
}
