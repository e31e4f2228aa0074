import { PgQueries } from '../ledger/pg/store/pg-queries';
import type { AuditAction } from '../../shared/auth';
import { RECIPE_STOCK_TYPES, type RecipeProductRef, type RecipeProductRow, type RecipeVersionRecord } from '../../shared/recipes';
import { dateTimeFor } from '../company/company-time';
import { emptyFacts, noNeed } from '../operations/ops-snapshot';
import { PgOpsStore } from '../operations/pg-ops-store';
import type { AuditActor } from '../safety/audit';
import { appendPgAudit } from '../safety/pg-audit-store';
import type { ComponentQty, RecipeRecords } from './recipe-store';

/** SQLite's COLLATE NOCASE: ASCII letters folded, everything else compared by code point. */
const nocase = (col: string) => `lower(${col} COLLATE "C")`;
/** The advisory lock every recipe save takes first (pg_advisory_xact_lock(class, 0)); barcodes are 17_001, suppliers 17_002. */
const RECIPE_LOCK_CLASS = 17_003;

const PRODUCT_COLS = 'p.id, p.sku, p.name, p.unit, p.scale, p.stock_type AS "stockType", p.tracking, p.active';
const VERSION_COLS = `v.id, v.recipe_id AS "recipeId", v.effective_from AS "effectiveFrom", v.created_at AS "createdAt", u.username AS "createdBy",
  (SELECT MIN(n.effective_from) FROM recipe_versions n WHERE n.recipe_id = v.recipe_id AND n.effective_from > v.effective_from) AS "effectiveTo"`;
/** The id of the version of recipe $1 in force at time $2. */
const VERSION_AT = 'SELECT id FROM recipe_versions WHERE recipe_id = $1 AND effective_from <= $2 ORDER BY effective_from DESC LIMIT 1';

type VersionHead = Omit<RecipeVersionRecord, 'components'>;

/**
 * PostgreSQL's recipes store: the same records as SQLite's RecipeStore, in PostgreSQL's SQL. Given a pool each call
 * runs on any connection; given a client it is one transaction's (a save, an explosion). A version's components at a
 * time and the company's format are read by the operations' own reads (PgOpsStore.read), the ones a posted sale
 * explodes with, so a preview and a posting cannot differ.
 */
export class PgRecipeStore extends PgQueries implements RecipeRecords {
  product(id: number): Promise<RecipeProductRef | null> {
    return this.one(`SELECT ${PRODUCT_COLS} FROM products p WHERE p.id = $1`, [id]);
  }

  /** Products of a stock type that has a recipe, by SKU, with the version in force at `at`. */
  products(search: string, at: number, limit: number): Promise<RecipeProductRow[]> {
    const q = search.trim();
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.rows(
      `SELECT ${PRODUCT_COLS},
         (SELECT COUNT(*) FROM recipe_versions v WHERE v.recipe_id = p.id) AS "versionCount",
         cur.effective_from AS "currentFrom",
         (SELECT COUNT(*) FROM recipe_version_components c WHERE c.version_id = cur.id) AS "componentCount"
       FROM products p
       LEFT JOIN recipe_versions cur ON cur.id = (SELECT id FROM recipe_versions WHERE recipe_id = p.id AND effective_from <= $1 ORDER BY effective_from DESC LIMIT 1)
       WHERE p.stock_type = ANY($2::text[])
         AND ($3 = '' OR ${nocase('p.sku')} LIKE lower($4 COLLATE "C") ESCAPE '\\' OR ${nocase('p.name')} LIKE lower($4 COLLATE "C") ESCAPE '\\')
       ORDER BY ${nocase('p.sku')} LIMIT $5`,
      [at, RECIPE_STOCK_TYPES, q, like, limit],
    );
  }

  /** Every version of a recipe, newest effective date first, with its lines. */
  async versions(recipeId: number): Promise<RecipeVersionRecord[]> {
    const heads = await this.rows<VersionHead>(`SELECT ${VERSION_COLS} FROM recipe_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.recipe_id = $1 ORDER BY v.effective_from DESC`, [recipeId]);
    const out: RecipeVersionRecord[] = [];
    for (const v of heads) out.push(await this.withLines(v));
    return out;
  }

  /** Every product that has at least one recipe version (the catalog import and export). */
  async recipeIds(): Promise<number[]> {
    return (await this.rows<{ id: number }>('SELECT DISTINCT recipe_id AS id FROM recipe_versions')).map((r) => r.id);
  }

  async version(id: number): Promise<RecipeVersionRecord | null> {
    const v = await this.one<VersionHead>(`SELECT ${VERSION_COLS} FROM recipe_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.id = $1`, [id]);
    return v ? this.withLines(v) : null;
  }

  async versionAt(recipeId: number, at: number): Promise<RecipeVersionRecord | null> {
    const row = await this.one<{ id: number }>(VERSION_AT, [recipeId, at]);
    return row ? this.version(row.id) : null;
  }

  /** The components of the version in force at `at`, by component id: the operations' read (a sale's explosion). */
  async componentsAt(recipeId: number, at: number): Promise<ComponentQty[]> {
    const facts = emptyFacts();
    await new PgOpsStore(this.client()).read({ ...noNeed(), components: [[recipeId, at]] }, facts);
    return facts.components.get(`${recipeId}@${at}`)!;
  }

  async versionIdFrom(recipeId: number, effectiveFrom: number): Promise<number | null> {
    return (await this.one<{ id: number }>('SELECT id FROM recipe_versions WHERE recipe_id = $1 AND effective_from = $2', [recipeId, effectiveFrom]))?.id ?? null;
  }

  /** Components of any version of the recipe that can be in force at or after `from` (for the cycle check). */
  async componentIdsFrom(recipeId: number, from: number): Promise<number[]> {
    const found = await this.rows<{ id: number }>(
      `SELECT DISTINCT c.component_id AS id FROM recipe_version_components c JOIN recipe_versions v ON v.id = c.version_id
       WHERE v.recipe_id = $1 AND (v.effective_from > $2 OR v.id = (${VERSION_AT}))`,
      [recipeId, from],
    );
    return found.map((r) => r.id);
  }

  async insertVersion(recipeId: number, effectiveFrom: number, components: readonly ComponentQty[], createdAt: number, createdBy: number | null): Promise<number> {
    const [v] = await this.rows<{ id: number }>('INSERT INTO recipe_versions (recipe_id, effective_from, created_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id', [
      recipeId, effectiveFrom, createdAt, createdBy,
    ]);
    await this.db.query('INSERT INTO recipe_version_components (version_id, component_id, qty_per_unit) SELECT $1, * FROM unnest($2::int[], $3::bigint[])', [
      v!.id, components.map((c) => c.productId), components.map((c) => c.qtyPerUnit),
    ]);
    return v!.id;
  }

  async username(userId: number | null): Promise<string> {
    if (userId === null) return 'system';
    return (await this.one<{ username: string }>('SELECT username FROM users WHERE id = $1', [userId]))?.username ?? `user ${userId}`;
  }

  /** The company's format, by the operations' read of the company settings. */
  async dateTime(at: number): Promise<string> {
    const facts = emptyFacts();
    await new PgOpsStore(this.client()).read({ ...noNeed(), company: true }, facts);
    return dateTimeFor(at, facts.company ?? null);
  }

  async audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Promise<void> {
    await appendPgAudit(this.client(), actor, action, detail, at);
  }

  async lockRecipes(): Promise<void> {
    await this.client().query('SELECT pg_advisory_xact_lock($1, 0)', [RECIPE_LOCK_CLASS]);
  }

  private async withLines(v: VersionHead): Promise<RecipeVersionRecord> {
    const lines = await this.rows<RecipeProductRef & { qtyPerUnit: number }>(
      `SELECT c.qty_per_unit AS "qtyPerUnit", ${PRODUCT_COLS} FROM recipe_version_components c JOIN products p ON p.id = c.component_id
       WHERE c.version_id = $1 ORDER BY ${nocase('p.sku')}`,
      [v.id],
    );
    return { ...v, components: lines.map(({ qtyPerUnit, ...product }) => ({ product, qtyPerUnit })) };
  }

}
