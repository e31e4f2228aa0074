import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Records two people may edit at once: each save bumps `version`, and a save made from an older version is refused. */
const VERSIONED = ['products', 'sites', 'adjustment_drafts', 'adjustment_draft_lines', 'count_lines'] as const;
/** Who made the last change, and when, for the refusal ("changed by Jane at 14:02"); drafts and their lines had updated_at already. */
const NEEDS_UPDATED_AT = ['products', 'sites', 'count_lines'] as const;

/**
 * Issue 16, optimistic versioning: a `version` per record (1 for every existing row), checked in the UPDATE itself
 * (`WHERE id = ? AND version = ?`), and who changed it last (unknown, null, for rows changed before this migration).
 */
export class RecordVersions1732400003000 implements MigrationInterface {
  name = 'RecordVersions1732400003000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of VERSIONED) {
      await q.query(`ALTER TABLE "${table}" ADD COLUMN "version" integer NOT NULL DEFAULT (1)`);
      await q.query(`ALTER TABLE "${table}" ADD COLUMN "updated_by" integer`);
    }
    for (const table of NEEDS_UPDATED_AT) await q.query(`ALTER TABLE "${table}" ADD COLUMN "updated_at" bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of NEEDS_UPDATED_AT) await q.query(`ALTER TABLE "${table}" DROP COLUMN "updated_at"`);
    for (const table of [...VERSIONED].reverse()) {
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "updated_by"`);
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "version"`);
    }
  }
}
