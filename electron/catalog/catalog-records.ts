import type { RecipeVersionRecord } from '../../shared/recipes';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import type { EntityRecord } from '../ledger/entities/columns';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { Awaitable, Steps } from '../ledger/steps';
import type { MasterCalls } from '../masterdata/master-steps';
import type { ProductRow } from '../masterdata/master-store';
import type { RecipeRecords } from '../recipes/recipe-store';
import type { RecipeVersionRefusal } from '../recipes/recipe-trial';
import type { SupplierRecords } from '../suppliers/supplier-store';
import type { CatalogRecipeTrial } from './catalog-recipe-trial';

/** A product as the catalog import compares it: every field a sheet column fills (and those it keeps), and its history flag. */
export type CatalogProductRow = ProductRow &
  Pick<EntityRecord<typeof ProductEntity>, 'id'> & {
    /** Computed: whether any movement names the product (its unit and scale are then fixed). */
    hasMovements: boolean;
  };

/** The most products one insertProducts or updateProducts call writes (in one statement, on either store). */
export const CATALOG_PRODUCT_BATCH = 2_000;

/** A product a catalog import creates, with its barcodes. */
export type NewCatalogProduct = ProductRow & { barcodes: readonly string[] };

/** The same calls, each answered now (SQLite) or later (PostgreSQL). */
type AwaitableCalls<T> = { [K in keyof T]: T[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => Awaitable<R> : never };

/** The master-data calls the catalog's sheets make (both MasterStore's SQLite calls and PgMasterStore answer them). */
export type CatalogMaster = AwaitableCalls<
  Pick<MasterCalls, 'sites' | 'bins' | 'groups' | 'insertSite' | 'updateSite' | 'insertBin' | 'updateBin' | 'insertGroup' | 'updateGroup' | 'insertProduct' | 'updateProduct' | 'replaceBarcodes' | 'username' | 'audit'>
>;

/** The suppliers' records and rules' calls, with the two bulk reads the Suppliers and Supplier codes sheets load and export by. */
export interface CatalogSupplierRecords extends SupplierRecords {
  list(search: string, includeInactive: boolean): Awaitable<SupplierRecord[]>;
  codesOfSupplier(supplierId: number): Awaitable<SupplierCodeRecord[]>;
}

/** The recipes' records and rules' calls, with the reads the Recipes sheet loads and exports by. */
export interface CatalogRecipeRecords extends RecipeRecords {
  /** Every product that has at least one recipe version. */
  recipeIds(): Awaitable<number[]>;
  /** Every version of a recipe, newest effective date first, with its lines. */
  versions(recipeId: number): Awaitable<RecipeVersionRecord[]>;
}

/** The tables whose names are unique and which a catalog file can rename (sites, product groups, suppliers). */
export type NamedTable = 'sites' | 'product_groups' | 'suppliers';

/**
 * The catalog's own store calls, on either database (catalog-store.ts for SQLite, pg-catalog-store.ts for PostgreSQL):
 * the bulk reads (every product, barcode and group at once, so checking 100,000 rows asks the database a handful of
 * times), the writes the master-data store has no statement for, and the two transactions an import needs.
 */
export interface CatalogRecords {
  /** Every product, in no particular order. */
  products(): Awaitable<CatalogProductRow[]>;
  /** Every stored barcode with its product, in no particular order. */
  barcodes(): Awaitable<[string, number][]>;
  /** Ids of products holding a non-zero quantity anywhere. */
  stockedProductIds(): Awaitable<Set<number>>;
  /** Every product group, by code (any case). */
  groups(): Awaitable<{ id: number; code: string }[]>;
  /**
   * New products with their barcodes (at most CATALOG_PRODUCT_BATCH), in one statement (on SQLite a statement per row
   * would flush the product search index at every row), their ids in the order given. A SKU the rules checked free
   * but another save took since is refused in the rules' words, as MasterCalls.insertProduct does.
   */
  insertProducts(rows: readonly NewCatalogProduct[], now: number): Awaitable<number[]>;
  /** Products (at most CATALOG_PRODUCT_BATCH) saved over whatever version they are at, in one statement, refused as MasterCalls.updateProduct refuses. */
  updateProducts(rows: readonly { id: number; row: ProductRow }[], stamp: { userId: number; at: number }): Awaitable<void>;
  /** Every per-site setting: product id, site id, low-stock level, default bin id. */
  productSites(): Awaitable<[number, number, number | null, number | null][]>;
  /** Every per-site setting as the export writes it, by SKU then site code (any case): SKU, site code, level, the product's decimals, bin code. */
  productSiteRows(): Awaitable<[string, string, number | null, number, string | null][]>;
  /** One product's setting at one site; neither a level nor a bin keeps no row (as the product form stores it). */
  setProductSite(productId: number, siteId: number, lowStockLevel: number | null, defaultBinId: number | null): Awaitable<void>;
  /**
   * Gives these records a temporary name each, unique by id and never a saved name (saved names are trimmed; this one
   * begins with a space), so the import can give their names to other records of the file (unique-renames.ts). Only
   * inside the import's transaction, which writes every one of them again before it commits.
   */
  parkNames(table: NamedTable, ids: readonly number[]): Awaitable<void>;
  /**
   * New recipe versions tried in turn by the save's rules, after the file's products they meet were written as the
   * import writes them (tryCatalogRecipes), inside a transaction that is rolled back (a savepoint when one is open):
   * the refusals, nothing written. On a job's read-only connection the writer runs it.
   */
  tryRecipeVersions(trial: CatalogRecipeTrial, now: number): Awaitable<RecipeVersionRefusal[]>;
  /** Runs `steps` in one transaction: all of their writes or, when they throw, none. */
  write<T>(steps: Steps<T>): Awaitable<T>;
}
