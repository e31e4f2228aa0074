import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which kit line of a sale each component movement came from: `movement_kit_lines`, one row per component movement of a
 * kit (a Recipe product sold as one, exploded into its components' movements), keyed by the movement's seq, with the kit
 * product, the quantity typed on the kit line (in the kit's smallest unit) and the form line it was typed on. The sale
 * writes them in its own transaction, beside its movements (operations/ops-store.ts; pg-ops-store.ts on PostgreSQL); a
 * refund of the sale reads them to show the kit line over the components coming back, as the sale's review did.
 * Movements are append-only and hashed, so the kit is not a column of theirs, nor a note. Sales posted before this
 * migration have no rows (nothing is guessed): their refunds show the component lines only. The same text on
 * PostgreSQL (pg 0025).
 */
export class MovementKitLines1732400005000 implements MigrationInterface {
  name = 'MovementKitLines1732400005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "movement_kit_lines" (
      "seq" integer PRIMARY KEY NOT NULL,
      "form_line_no" integer NOT NULL,
      "kit_product_id" integer NOT NULL,
      "kit_qty" bigint NOT NULL,
      CONSTRAINT "CHK_movement_kit_lines_kit_qty" CHECK ("kit_qty" > 0),
      CONSTRAINT "FK_movement_kit_lines_movement" FOREIGN KEY ("seq") REFERENCES "movements" ("seq"),
      CONSTRAINT "FK_movement_kit_lines_kit_product" FOREIGN KEY ("kit_product_id") REFERENCES "products" ("id"))`);
    await q.query(`CREATE INDEX "IDX_movement_kit_lines_kit_product" ON "movement_kit_lines" ("kit_product_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movement_kit_lines_kit_product"`);
    await q.query(`DROP TABLE "movement_kit_lines"`);
  }
}
