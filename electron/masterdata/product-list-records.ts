import type { ProductsListInput } from '../../shared/contract/masterdata.schemas';
import type { ProductSiteStock } from '../../shared/masterdata';
import type { Awaitable } from '../ledger/steps';

/** The filters of the Products list, as the window sends them (every one optional). */
export type ProductListQuery = Omit<ProductsListInput, 'limit' | 'offset'>;

/** One page of the Products list: its product ids in the list's order, and how many match (`capped`: more than counted). */
export interface ProductIdPage {
  ids: number[];
  total: number;
  capped: boolean;
}

/**
 * The Products window's reads, answered alike by SQLite's ProductListStore (at once) and PostgreSQL's
 * PgProductListStore (later): one page of ids for a search, filters and sort (the records themselves come from the
 * master store), and a product's stock per site and bin.
 */
export interface ProductListRecords {
  page(q: ProductListQuery, limit: number, offset: number): Awaitable<ProductIdPage>;
  /** Stock on hand per real site and bin (batches summed), in the product's smallest unit. */
  productStock(productId: number): Awaitable<ProductSiteStock[]>;
}
