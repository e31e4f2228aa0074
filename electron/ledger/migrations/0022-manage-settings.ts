import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Company settings (issue 12) live in the `settings` table (keys 'company' and 'setup.assistant'), so no table
 * changes; administrators gain manage:settings, which changing them needs.
 */
export class ManageSettings1732400002200 implements MigrationInterface {
  name = 'ManageSettings1732400002200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "users" SET "permissions" = json_insert("permissions", '$[#]', 'manage:settings')
        WHERE "username" IN ('admin', 'system') AND NOT EXISTS (SELECT 1 FROM json_each("permissions") WHERE value = 'manage:settings')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "users" SET "permissions" = (SELECT json_group_array(value) FROM json_each("permissions") WHERE value <> 'manage:settings')`);
  }
}
