import type Database from 'better-sqlite3';
import type { AuditAction } from '../../shared/auth';
import type { StockType, TrackingMode } from '../../shared/domain';
import { companyDateTime } from '../company/company-time';
import type { Awaitable } from '../ledger/steps';
import { audit, type AuditActor } from '../safety/audit';
import { RECIPE_STOCK_TYPES, type RecipeProductRef, type RecipeProductRow, type RecipeVersionRecord } from '../../shared/recipes';

/** A version's component as written: the component product and its quantity per one whole unit of the recipe. */
export interface ComponentQty {
  productId: number;
  qtyPerUnit: number;
}

/**
 * What the recipes' rules (recipe-rules.ts, explosion.ts) ask of a store, on either database: SQLite's RecipeStore
 * answers at once, PostgreSQL's PgRecipeStore (pg-recipe-store.ts) with a promise.
 */
export interface RecipeRecords {
  product(id: number): Awaitable<RecipeProductRef | null>;
  versionAt(recipeId: number, at: number): Awaitable<RecipeVersionRecord | null>;
  version(id: number): Awaitable<RecipeVersionRecord | null>;
  componentsAt(recipeId: number, at: number): Awaitable<ComponentQty[]>;
  versionIdFrom(recipeId: number, effectiveFrom: number): Awaitable<number | null>;
  componentIdsFrom(recipeId: number, from: number): Awaitable<number[]>;
  insertVersion(recipeId: number, effectiveFrom: number, components: readonly ComponentQty[], createdAt: number, createdBy: number | null): Awaitable<number>;
  username(userId: number | null): Awaitable<string>;
  /** An instant as messages show it: the company's date format and time zone. */
  dateTime(at: number): Awaitable<string>;
  /** Appends one entry to the hash-chained audit log, in the change's transaction. */
  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Awaitable<void>;
  /** Holds every recipe against other writers until the transaction ends (PostgreSQL; SQLite's one writer needs none). */
  lockRecipes(): Awaitable<void>;
}

type Flag = 0 | 1;
type ProductSql = Omit<RecipeProductRef, 'active'> & { active: Flag };
const ref = (r: ProductSql): RecipeProductRef => ({ id: r.id, sku: r.sku, name: r.name, unit: r.unit, scale: r.scale, stockType: r.stockType as StockType, tracking: r.tracking as TrackingMode, active: r.active === 1 });

const PRODUCT_COLS = 'p.id, p.sku, p.name, p.unit, p.scale, p.stock_type AS stockType, p.tracking, p.active';
const TYPES_IN = RECIPE_STOCK_TYPES.map((t) => `'${t}'`).join(', ');
/** The id of the version of recipe ? in force at time ?. */
const VERSION_AT = 'SELECT id FROM recipe_versions WHERE recipe_id = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1';

/** Every SQL statement of the recipes capability: recipe versions and their component lines. */
export class RecipeStore implements RecipeRecords {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      product: db.prepare(`SELECT ${PRODUCT_COLS} FROM products p WHERE p.id = ?`),
      recipeProducts: db.prepare(
        `SELECT ${PRODUCT_COLS},
           (SELECT COUNT(*) FROM recipe_versions v WHERE v.recipe_id = p.id) AS versionCount,
           cur.effective_from AS currentFrom,
           (SELECT COUNT(*) FROM recipe_version_components c WHERE c.version_id = cur.id) AS componentCount
         FROM products p
         LEFT JOIN recipe_versions cur ON cur.id = (SELECT id FROM recipe_versions WHERE recipe_id = p.id AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1)
         WHERE p.stock_type IN (${TYPES_IN}) AND (? = '' OR p.sku LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')
         ORDER BY p.sku COLLATE NOCASE LIMIT ?`,
      ),
      versions: db.prepare(
        `SELECT v.id, v.recipe_id AS recipeId, v.effective_from AS effectiveFrom, v.created_at AS createdAt, u.username AS createdBy,
           (SELECT MIN(n.effective_from) FROM recipe_versions n WHERE n.recipe_id = v.recipe_id AND n.effective_from > v.effective_from) AS effectiveTo
         FROM recipe_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.recipe_id = ? ORDER BY v.effective_from DESC`,
      ),
      version: db.prepare(
        `SELECT v.id, v.recipe_id AS recipeId, v.effective_from AS effectiveFrom, v.created_at AS createdAt, u.username AS createdBy,
           (SELECT MIN(n.effective_from) FROM recipe_versions n WHERE n.recipe_id = v.recipe_id AND n.effective_from > v.effective_from) AS effectiveTo
         FROM recipe_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.id = ?`,
      ),
      lines: db.prepare(
        `SELECT c.qty_per_unit AS qtyPerUnit, ${PRODUCT_COLS} FROM recipe_version_components c JOIN products p ON p.id = c.component_id
         WHERE c.version_id = ? ORDER BY p.sku COLLATE NOCASE`,
      ),
      versionAt: db.prepare(VERSION_AT),
      componentsAt: db.prepare(
        `SELECT component_id AS productId, qty_per_unit AS qtyPerUnit FROM recipe_version_components WHERE version_id = (${VERSION_AT}) ORDER BY component_id`,
      ),
      versionFrom: db.prepare('SELECT id FROM recipe_versions WHERE recipe_id = ? AND effective_from = ?'),
      componentsFrom: db.prepare(
        `SELECT DISTINCT c.component_id AS id FROM recipe_version_components c JOIN recipe_versions v ON v.id = c.version_id
         WHERE v.recipe_id = ? AND (v.effective_from > ? OR v.id = (${VERSION_AT}))`,
      ),
      insertVersion: db.prepare('INSERT INTO recipe_versions (recipe_id, effective_from, created_at, created_by) VALUES (?, ?, ?, ?)'),
      insertComponent: db.prepare('INSERT INTO recipe_version_components (version_id, component_id, qty_per_unit) VALUES (?, ?, ?)'),
      username: db.prepare('SELECT username FROM users WHERE id = ?'),
      recipeIds: db.prepare('SELECT DISTINCT recipe_id FROM recipe_versions').pluck(),
    };
  }

  /** Runs `fn` in a transaction, or inside the caller's when one is open (a savepoint). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  product(id: number): RecipeProductRef | null {
    const r = this.s.product.get(id) as ProductSql | undefined;
    return r ? ref(r) : null;
  }

  /** Products of a stock type that has a recipe, by SKU, with the version in force at `at`. */
  products(search: string, at: number, limit: number): RecipeProductRow[] {
    const q = search.trim();
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.s.recipeProducts.all(at, q, like, like, limit) as (ProductSql & { versionCount: number; componentCount: number; currentFrom: number | null })[];
    return rows.map((r) => ({ ...ref(r), versionCount: r.versionCount, componentCount: r.componentCount, currentFrom: r.currentFrom }));
  }

  /** Every version of a recipe, newest effective date first, with its lines. */
  versions(recipeId: number): RecipeVersionRecord[] {
    return (this.s.versions.all(recipeId) as Omit<RecipeVersionRecord, 'components'>[]).map((v) => this.withLines(v));
  }

  version(id: number): RecipeVersionRecord | null {
    const v = this.s.version.get(id) as Omit<RecipeVersionRecord, 'components'> | undefined;
    return v ? this.withLines(v) : null;
  }

  /** Every product that has at least one recipe version (the catalog export). */
  recipeIds(): number[] {
    return this.s.recipeIds.all() as number[];
  }

  /** The version of a recipe in force at `at` (epoch ms), or null when none had taken effect yet. */
  versionAt(recipeId: number, at: number): RecipeVersionRecord | null {
    const row = this.s.versionAt.get(recipeId, at) as { id: number } | undefined;
    return row ? this.version(row.id) : null;
  }

  /** The components of the version in force at `at`, by component id (the explosion's hot path). */
  componentsAt(recipeId: number, at: number): ComponentQty[] {
    return this.s.componentsAt.all(recipeId, at) as ComponentQty[];
  }

  /** The version of a recipe taking effect exactly at `effectiveFrom`, if any. */
  versionIdFrom(recipeId: number, effectiveFrom: number): number | null {
    return (this.s.versionFrom.get(recipeId, effectiveFrom) as { id: number } | undefined)?.id ?? null;
  }

  /** Components of any version of the recipe that can be in force at or after `from` (for the cycle check). */
  componentIdsFrom(recipeId: number, from: number): number[] {
    return (this.s.componentsFrom.all(recipeId, from, recipeId, from) as { id: number }[]).map((r) => r.id);
  }

  insertVersion(recipeId: number, effectiveFrom: number, components: readonly ComponentQty[], createdAt: number, createdBy: number | null): number {
    const id = Number(this.s.insertVersion.run(recipeId, effectiveFrom, createdAt, createdBy).lastInsertRowid);
    for (const c of components) this.s.insertComponent.run(id, c.productId, c.qtyPerUnit);
    return id;
  }

  username(userId: number | null): string {
    if (userId === null) return 'system';
    return (this.s.username.get(userId) as { username: string } | undefined)?.username ?? `user ${userId}`;
  }

  dateTime(at: number): string {
    return companyDateTime(this.db, at);
  }

  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): void {
    audit(this.db, actor, action, detail, at);
  }

  /** The one writer holds the whole ledger while it writes: nothing to lock. */
  lockRecipes(): void {}

  private withLines(v: Omit<RecipeVersionRecord, 'components'>): RecipeVersionRecord {
    const lines = this.s.lines.all(v.id) as (ProductSql & { qtyPerUnit: number })[];
    return { ...v, components: lines.map((l) => ({ product: ref(l), qtyPerUnit: l.qtyPerUnit })) };
  }
}
