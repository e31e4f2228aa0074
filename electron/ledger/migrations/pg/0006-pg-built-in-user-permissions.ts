import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The permissions SQLite's migrations gave the built-in users after its 0001 (0006 manage:users, 0017 manage:sites and
 * manage:products, 0021 manage:suppliers, 0022 manage:settings), in that order.
 */
export const PG_0006_PERMISSIONS = ['manage:users', 'manage:sites', 'manage:products', 'manage:suppliers', 'manage:settings'] as const;

/**
 * Issue 17: pg 0001 seeded "admin" and "system" with the permissions of SQLite's 0001 only, so on a PostgreSQL ledger
 * nobody could manage users (and the rule that someone must be left who can refused every change of permissions).
 * Each permission missing from a built-in user is appended to its JSON list as SQLite's migrations append it, so
 * both databases hold the same text.
 */
export class PgBuiltInUserPermissions1764700000600 implements MigrationInterface {
  name = 'PgBuiltInUserPermissions1764700000600';

  async up(q: QueryRunner): Promise<void> {
    for (const p of PG_0006_PERMISSIONS) {
      await q.query(
        `UPDATE "users" SET "permissions" = CASE WHEN "permissions"::jsonb = '[]'::jsonb THEN '[' || to_json($1::text)::text || ']'
            ELSE left(rtrim("permissions"), -1) || ',' || to_json($1::text)::text || ']' END
          WHERE "username" IN ('admin', 'system') AND NOT jsonb_exists("permissions"::jsonb, $1)`,
        [p],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "users" SET "permissions" = (SELECT '[' || COALESCE(string_agg(to_json(e.value)::text, ',' ORDER BY e.n), '') || ']'
          FROM jsonb_array_elements_text("permissions"::jsonb) WITH ORDINALITY AS e(value, n) WHERE e.value <> ALL ($1::text[]))`,
      [[...PG_0006_PERMISSIONS]],
    );
  }
}
