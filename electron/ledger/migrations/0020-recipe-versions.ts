import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first version of every recipe that existed before versions: in force from the beginning of time (epoch 0). */
const BEGINNING_OF_TIME = 0;

/**
 * Recipes with effective dates (issue 12): a recipe's component list is a version that takes effect from a time,
 * so a change never rewrites the explosion of what was sold before it. Each recipe in `recipe_components` becomes
 * one version in force from the beginning of time; `down()` keeps, per recipe, the version in force now.
 */
export class RecipeVersions1732400002000 implements MigrationInterface {
  name = 'RecipeVersions1732400002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "recipe_versions" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "recipe_id" integer NOT NULL,
      "effective_from" bigint NOT NULL,
      "created_at" bigint NOT NULL,
      "created_by" integer,
      CONSTRAINT "UQ_recipe_versions_recipe_from" UNIQUE ("recipe_id", "effective_from"),
      CONSTRAINT "FK_recipe_versions_recipe" FOREIGN KEY ("recipe_id") REFERENCES "products" ("id"),
      CONSTRAINT "FK_recipe_versions_user" FOREIGN KEY ("created_by") REFERENCES "users" ("id"))`);
    await q.query(`CREATE TABLE "recipe_version_components" (
      "version_id" integer NOT NULL,
      "component_id" integer NOT NULL,
      "qty_per_unit" bigint NOT NULL,
      PRIMARY KEY ("version_id", "component_id"),
      CONSTRAINT "FK_recipe_version_components_version" FOREIGN KEY ("version_id") REFERENCES "recipe_versions" ("id"),
      CONSTRAINT "FK_recipe_version_components_component" FOREIGN KEY ("component_id") REFERENCES "products" ("id"))`);
    await q.query(`CREATE INDEX "IDX_recipe_version_components_component" ON "recipe_version_components" ("component_id")`);
    await q.query(
      `INSERT INTO "recipe_versions" ("recipe_id", "effective_from", "created_at", "created_by")
       SELECT DISTINCT "recipe_id", ${BEGINNING_OF_TIME}, CAST(strftime('%s', 'now') AS integer) * 1000, NULL FROM "recipe_components" ORDER BY "recipe_id"`,
    );
    await q.query(
      `INSERT INTO "recipe_version_components" ("version_id", "component_id", "qty_per_unit")
       SELECT v."id", c."component_id", c."qty_per_unit" FROM "recipe_components" c JOIN "recipe_versions" v ON v."recipe_id" = c."recipe_id"`,
    );
    await q.query(`DROP TABLE "recipe_components"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "recipe_components" (
        "recipe_id" integer NOT NULL,
        "component_id" integer NOT NULL,
        "qty_per_unit" bigint NOT NULL,
        PRIMARY KEY ("recipe_id", "component_id"),
        CONSTRAINT "FK_recipe_components_recipe" FOREIGN KEY ("recipe_id") REFERENCES "products" ("id"),
        CONSTRAINT "FK_recipe_components_component" FOREIGN KEY ("component_id") REFERENCES "products" ("id"))`);
    await q.query(
      `INSERT INTO "recipe_components" ("recipe_id", "component_id", "qty_per_unit")
       SELECT v."recipe_id", c."component_id", c."qty_per_unit" FROM "recipe_version_components" c JOIN "recipe_versions" v ON v."id" = c."version_id"
       WHERE v."id" = (SELECT v2."id" FROM "recipe_versions" v2 WHERE v2."recipe_id" = v."recipe_id"
         AND v2."effective_from" <= CAST(strftime('%s', 'now') AS integer) * 1000 ORDER BY v2."effective_from" DESC LIMIT 1)`,
    );
    await q.query(`DROP TABLE "recipe_version_components"`);
    await q.query(`DROP TABLE "recipe_versions"`);
  }
}
