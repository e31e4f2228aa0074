/** Domain types shared by main and renderer. Quantities and money are integers (see quantity.ts). */
export const STOCK_TYPES = ['Supplied', 'Preparation', 'Made', 'Recipe', 'Other'] as const;
export type StockType = (typeof STOCK_TYPES)[number];

export const TRACKING_MODES = ['BULK', 'LOT', 'SERIAL', 'RFID'] as const;
export type TrackingMode = (typeof TRACKING_MODES)[number];
/** A tracking mode in words, as screens show it (the code BULK/LOT/SERIAL/RFID stays in files and the contract). */
export const TRACKING_NAMES: Record<TrackingMode, string> = { BULK: 'Bulk', LOT: 'Lot', SERIAL: 'Serial', RFID: 'RFID' };

export const ON_COSTS = [
  'insurance',
  'freight',
  'excise',
  'customs',
  'rhd',
  'rent',
  'delivery',
  'labour',
  'overhead',
] as const;
export type OnCostKind = (typeof ON_COSTS)[number];
export type OnCosts = Partial<Record<OnCostKind, number>>;
/** What the user reads for each on-cost (forms, Enquiry columns, exports). */
export const ON_COST_LABELS: Record<OnCostKind, string> = {
  insurance: 'Insurance',
  freight: 'Freight',
  excise: 'Excise duty',
  customs: 'Customs duty',
  rhd: 'RHD',
  rent: 'Rent',
  delivery: 'Delivery',
  labour: 'Labour',
  overhead: 'Overhead',
};

export const COST_SOURCES = ['declared', 'latest_at_site', 'dispatching_site', 'none'] as const;
export type CostSource = (typeof COST_SOURCES)[number];

export const PERMISSIONS = [
  'read:stock',
  'post:movements',
  'manage:data',
  'create:stock-count',
  'update:stock-count',
  'post:finance',
  'manage:users',
  'manage:sites',
  'manage:products',
  'manage:suppliers',
  'manage:settings',
  /** Held by every session, signed in or not: status, sign-in, sign-out, lock, own password. Never stored. */
  'sign:in',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type StockStatus = 'in_stock' | 'low' | 'out';

export interface SiteInfo {
  id: number;
  code: string;
  name: string;
  kind: 'warehouse' | 'shop' | 'kitchen' | 'other' | 'external';
  allowNegative: boolean;
  active: boolean;
}

export interface CurrentStockRow {
  productId: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  stockType: StockType;
  siteId: number;
  siteCode: string;
  siteName: string;
  onHand: number;
  lowStockLevel: number | null;
  status: StockStatus;
  /** ISO time of the last movement's effective time at this product/site. */
  lastMovementAt: string | null;
}

export interface CurrentStockPage {
  rows: CurrentStockRow[];
  total: number;
  lowCount: number;
  outCount: number;
}

export interface PostedDocument {
  documentId: number;
  /** True when this call found an earlier submit with the same idempotency key. */
  replayed: boolean;
  movementCount: number;
  firstSeq: number | null;
  lastSeq: number | null;
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web';
  dbPath: string;
  /** Set by a desktop working on a Stockbook server: the server's address as the user gave it. */
  server?: string;
  /** Set when the ledger is a PostgreSQL database: its server and database, "host:port/database" (never the password). */
  postgres?: string;
  productCount: number;
  movementCount: number;
  siteCount: number;
  user: { id: number; username: string; displayName: string; permissions: string[] };
}

export interface JobProgress {
  jobId: string;
  kind: string;
  done: number;
  total: number;
  phase: string;
}

export interface JobFinished {
  jobId: string;
  kind: string;
  ok: boolean;
  cancelled: boolean;
  message: string;
  /** A posting job's batch, once it made one (posted or cancelled): the report its window shows, never merely the newest batch. */
  batchId?: number;
}
