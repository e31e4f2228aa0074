import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A foreign key of a finance-posting table that PostgreSQL checks once per statement instead of once per row. */
export interface SetCheckedKey {
  name: string;
  table: 'journal_lines' | 'movement_postings';
  column: string;
  parent: 'journal_batches' | 'movements';
  parentKey: string;
}

/**
 * The three per-row foreign keys a finance posting chunk pays for on every journal line and movement posting (issue 17:
 * 300k movements spent most of each chunk's write in them: each row's check is a query that also locks the parent row,
 * so every posted movement's row was rewritten just to take a KEY SHARE lock).
 */
export const PG_SET_CHECKED_KEYS: readonly SetCheckedKey[] = [
  { name: 'FK_journal_lines_batch', table: 'journal_lines', column: 'batch_id', parent: 'journal_batches', parentKey: 'id' },
  { name: 'FK_movement_postings_batch', table: 'movement_postings', column: 'batch_id', parent: 'journal_batches', parentKey: 'id' },
  { name: 'FK_movement_postings_movement', table: 'movement_postings', column: 'movement_seq', parent: 'movements', parentKey: 'seq' },
];

const CHILDREN = ['journal_lines', 'movement_postings'] as const;

/**
 * Issue 17 (finance posting speed on PostgreSQL): the same rules as the foreign keys above, kept per statement. After an
 * INSERT or UPDATE of journal_lines or movement_postings, one set-based query over the statement's rows (a transition
 * table) refuses any row whose batch or movement does not exist, with the foreign-key error code (23503). The batches
 * the rows name are locked FOR KEY SHARE first, as the foreign key's check locks them, so a batch cannot be deleted
 * under a chunk being written; and a batch that still has lines or postings cannot be deleted or renumbered (a row
 * trigger on journal_batches, as the foreign key's NO ACTION). Movements need no lock: they are never updated, deleted
 * or truncated (pg 0001, 0009).
 */
export class PgPostingSetCheckedKeys1764700001200 implements MigrationInterface {
  name = 'PgPostingSetCheckedKeys1764700001200';

  async up(q: QueryRunner): Promise<void> {
    for (const table of CHILDREN) {
      const keys = PG_SET_CHECKED_KEYS.filter((k) => k.table === table);
      const checks = keys.map((k) => {
        const lock = k.parent === 'journal_batches' ? `PERFORM 1 FROM "${k.parent}" p WHERE p."${k.parentKey}" IN (SELECT DISTINCT "${k.column}" FROM rows_in) FOR KEY SHARE OF p;\n` : '';
        return `${lock}IF EXISTS (SELECT 1 FROM rows_in r WHERE NOT EXISTS (SELECT 1 FROM "${k.parent}" p WHERE p."${k.parentKey}" = r."${k.column}")) THEN
          RAISE EXCEPTION 'insert or update on table "${table}" violates foreign key constraint "${k.name}": a ${k.column} that is not in ${k.parent}' USING ERRCODE = 'foreign_key_violation';
        END IF;`;
      });
      await q.query(`CREATE FUNCTION "${table}_check_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${checks.join('\n')}
          RETURN NULL;
        END $$`);
      for (const op of ['INSERT', 'UPDATE']) {
        await q.query(`CREATE TRIGGER "${table}_keys_${op.toLowerCase()}" AFTER ${op} ON "${table}" REFERENCING NEW TABLE AS rows_in FOR EACH STATEMENT EXECUTE FUNCTION "${table}_check_keys"()`);
      }
      for (const k of keys) await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${k.name}"`);
    }
    const referenced = PG_SET_CHECKED_KEYS.filter((k) => k.parent === 'journal_batches')
      .map((k) => `EXISTS (SELECT 1 FROM "${k.table}" c WHERE c."${k.column}" = OLD.id)`)
      .join(' OR ');
    await q.query(`CREATE FUNCTION "journal_batches_keep_refs"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF ${referenced} THEN
          RAISE EXCEPTION 'batch % still has journal lines or movement postings: it cannot be deleted or renumbered', OLD.id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "journal_batches_keep_refs_delete" AFTER DELETE ON "journal_batches" FOR EACH ROW EXECUTE FUNCTION "journal_batches_keep_refs"()`);
    await q.query(`CREATE TRIGGER "journal_batches_keep_refs_update" AFTER UPDATE OF "id" ON "journal_batches" FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION "journal_batches_keep_refs"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "journal_batches_keep_refs_update" ON "journal_batches"`);
    await q.query(`DROP TRIGGER "journal_batches_keep_refs_delete" ON "journal_batches"`);
    await q.query(`DROP FUNCTION "journal_batches_keep_refs"()`);
    for (const table of CHILDREN) {
      for (const op of ['insert', 'update']) await q.query(`DROP TRIGGER "${table}_keys_${op}" ON "${table}"`);
      await q.query(`DROP FUNCTION "${table}_check_keys"()`);
    }
    for (const k of PG_SET_CHECKED_KEYS) {
      await q.query(`ALTER TABLE "${k.table}" ADD CONSTRAINT "${k.name}" FOREIGN KEY ("${k.column}") REFERENCES "${k.parent}" ("${k.parentKey}")`);
    }
  }
}
