import type { StockType, TrackingMode } from './domain';
import type { VariantAxis, VariantValues } from './variants';

/** Master data (issue 12): sites, bins and products as the Sites & products window edits them. */
export const SITE_KINDS = ['warehouse', 'shop', 'kitchen', 'other'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const BIN_STOCK_STATUSES = ['sellable', 'defective', 'quarantine'] as const;
export type BinStockStatus = (typeof BIN_STOCK_STATUSES)[number];

export interface SiteRecord {
  id: number;
  code: string;
  name: string;
  /** 'external' only for the External pseudo-site, which cannot be edited. */
  kind: SiteKind | 'external';
  allowNegative: boolean;
  active: boolean;
  binCount: number;
  /** Distinct product/bin/batch places holding non-zero stock at this site. */
  stockLines: number;
  /** Bumped by every save; a save made from an older version is refused (migration 0030). */
  version: number;
}

export interface BinRecord {
  id: number;
  siteId: number;
  code: string;
  name: string;
  stockStatus: BinStockStatus;
  active: boolean;
  stockLines: number;
}

export interface ProductRecord {
  id: number;
  /** Bumped by every save; a save made from an older version is refused (migration 0030). */
  version: number;
  sku: string;
  name: string;
  description: string;
  barcodes: string[];
  unit: string;
  scale: number;
  stockType: StockType;
  tracking: TrackingMode;
  stockKeeping: boolean;
  /** The level at or below which stock is low, at any site without a level of its own (see `sites`). */
  lowStockLevel: number | null;
  active: boolean;
  groupId: number | null;
  /** The group's code, for lists; null without a group. */
  groupCode: string | null;
  /** ISO 3166-1 alpha-2, or null. */
  countryOfOrigin: string | null;
  /** Per-site settings: a site's own low-stock level and the bin stock is put away to there. */
  sites: ProductSiteSetting[];
  /** A variant's parent product, else null. */
  parentId: number | null;
  /** A variant parent's attributes and values (a parent keeps no stock of its own); empty for every other product. */
  variantAxes: VariantAxis[];
  /** A variant's value for each of its parent's attributes; empty for every other product. */
  variantAttributes: VariantValues;
  /** "M / Red" for a variant (values in the parent's attribute order), else null. */
  variantLabel: string | null;
  /** How many variants a parent has (0 for every other product). */
  variantCount: number;
  /** Once true, unit and decimals can never change and the product can only be deactivated. */
  hasMovements: boolean;
  /** Sum of stock over every site and bin, in the product's smallest unit. */
  onHand: number;
}

export interface ProductSiteSetting {
  siteId: number;
  /** In the product's smallest unit; null: the product's own level applies at this site. */
  lowStockLevel: number | null;
  /** Preselected where stock of the product is received at this site; null for none. */
  defaultBinId: number | null;
}

/** A product group (seed 004): the posting rules read "post on-costs to cost of sales" from it. */
export interface ProductGroupRecord {
  id: number;
  code: string;
  name: string;
  postOnCosts: boolean;
  active: boolean;
  /** Products in the group. */
  productCount: number;
}

export interface ProductListPage {
  rows: ProductRecord[];
  /** Products matching, counted up to 10,000; past that `totalCapped` is true and the list says "10,000+". */
  total: number;
  totalCapped: boolean;
}

/** Distinguishes the field a refusal is about, so the form can mark it. */
export interface FieldErrorDetails {
  field: string;
}

/** Stock on hand of one product at one site and bin (batches summed), in the product's smallest unit. */
export interface ProductSiteStock {
  siteId: number;
  siteCode: string;
  siteName: string;
  binId: number | null;
  binCode: string | null;
  qty: number;
}

export interface ProductGroupOption {
  id: number;
  code: string;
  name: string;
}

/** One field of a record as it was and became, in plain words ("Low-stock level": "5" → "10"). */
export interface HistoryChange {
  field: string;
  before: string;
  after: string;
}

/** One change to a master-data record, as its History tab shows it. */
export interface HistoryEntry {
  id: number;
  at: number;
  username: string;
  /** What changed, in words: "Product FLOUR-00", "Bin A-01". */
  subject: string;
  kind: 'created' | 'changed';
  /** For 'created': every field set, with an empty before. */
  changes: HistoryChange[];
}
