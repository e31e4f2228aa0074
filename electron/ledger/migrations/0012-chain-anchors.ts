import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_GENESIS_HASH, hashAuditEntry } from '../../safety/audit-hash';
import type { AuditRow } from '../entities/safety.entities';

const AUDIT_NO_UPDATE = `CREATE TRIGGER "TRG_audit_log_no_update" BEFORE UPDATE ON "audit_log"
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`;

/**
 * Anchors for the hash chain (issue 11, point 15): `chain_anchors` records the chain head (seq, hash) whenever a
 * backup, a posting batch or the full start-up check sees it, append-only; backups and journal batches also carry
 * the head they saw. The audit log is hash-chained like the movements (existing entries are chained here, in id order).
 */
export class ChainAnchors1732400001200 implements MigrationInterface {
  name = 'ChainAnchors1732400001200';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "chain_anchors" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "seq" integer NOT NULL,
        "hash" varchar(64) NOT NULL,
        "recorded_at" bigint NOT NULL,
        "source" varchar(16) NOT NULL,
        "ref" integer)`,
      `CREATE INDEX "IDX_chain_anchors_seq" ON "chain_anchors" ("seq")`,
      `CREATE TRIGGER "TRG_chain_anchors_no_update" BEFORE UPDATE ON "chain_anchors"
        BEGIN SELECT RAISE(ABORT, 'chain anchors are append-only'); END`,
      `CREATE TRIGGER "TRG_chain_anchors_no_delete" BEFORE DELETE ON "chain_anchors"
        BEGIN SELECT RAISE(ABORT, 'chain anchors are append-only'); END`,
      `ALTER TABLE "backups" ADD COLUMN "chain_seq" integer`,
      `ALTER TABLE "backups" ADD COLUMN "chain_hash" varchar(64)`,
      `ALTER TABLE "journal_batches" ADD COLUMN "chain_seq" integer`,
      `ALTER TABLE "journal_batches" ADD COLUMN "chain_hash" varchar(64)`,
      `ALTER TABLE "audit_log" ADD COLUMN "prev_hash" varchar(64)`,
      `ALTER TABLE "audit_log" ADD COLUMN "hash" varchar(64)`,
    ];
    for (const sql of statements) await q.query(sql);
    const rows = (await q.query('SELECT id, at, user_id, username, action, detail FROM "audit_log" ORDER BY id')) as AuditRow[];
    if (rows.length > 0) {
      await q.query('DROP TRIGGER "TRG_audit_log_no_update"');
      let prev = AUDIT_GENESIS_HASH;
      for (const r of rows) {
        const hash = hashAuditEntry(prev, r);
        await q.query('UPDATE "audit_log" SET "prev_hash" = ?, "hash" = ? WHERE id = ?', [prev, hash, r.id]);
        prev = hash;
      }
      await q.query(AUDIT_NO_UPDATE);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "chain_anchors"`);
    for (const t of ['backups', 'journal_batches']) {
      await q.query(`ALTER TABLE "${t}" DROP COLUMN "chain_hash"`);
      await q.query(`ALTER TABLE "${t}" DROP COLUMN "chain_seq"`);
    }
    await q.query(`ALTER TABLE "audit_log" DROP COLUMN "hash"`);
    await q.query(`ALTER TABLE "audit_log" DROP COLUMN "prev_hash"`);
  }
}
