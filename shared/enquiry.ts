/** Result types of the stock enquiry capability (movements, batch journey, stock at a date, low stock, exports). */
import type { StockStatus, TrackingMode } from './domain';

/** A position in the (occurred_at, seq) order; opaque to the UI, passed back for the next page. */
export interface MovementCursor {
  occurredAt: number;
  seq: number;
}

export interface MovementView {
  seq: number;
  productId: number;
  sku: string;
  productName: string;
  unit: string;
  scale: number;
  siteId: number;
  siteCode: string;
  binId: number | null;
  binCode: string | null;
  type: string;
  typeName: string;
  qty: number;
  /** The product's stock at this site after the movement in recording order (seq): the ledger's balance_after. */
  balanceAfter: number;
  /**
   * The product's stock at this site after the movement in effective order (occurred_at, seq): the balance on that date.
   * Null when the page was asked without it (its column hidden).
   */
  balanceOnDate: number | null;
  /** Effective on an earlier business day than it was recorded (shared/backdated.ts). */
  backdated: boolean;
  batchId: number | null;
  batchCode: string | null;
  expiry: string | null;
  serial: string | null;
  documentId: number;
  documentType: string;
  documentReference: string | null;
  lineNo: number;
  note: string | null;
  /** Epoch ms. */
  occurredAt: number;
  recordedAt: number;
  unitCost: number;
  /** movementValue(qty, unitCost, scale): signed money in 1/10000 of the currency. */
  value: number;
  /** On-costs per unit in ON_COSTS order (insurance, freight, … overhead), like unitCost: 1/10000 of the currency per display unit. */
  onCosts: number[];
  /** Σ movementValue(qty, on-cost, scale) over the on-costs: the movement's on-cost value, signed like value. */
  onCostValue: number;
  costSource: string;
  userId: number;
  userName: string;
  reversalOf: number | null;
}

export interface MovementPage {
  rows: MovementView[];
  /** Cursor of the last row in the returned order, when more rows may follow. */
  next: MovementCursor | null;
  /** Cursor of the first row, to page back towards the start. */
  prev: MovementCursor | null;
  /** How the first page was found (for the bench and diagnostics). */
  plan: string;
}

export interface MovementCount {
  /** Exact count, or the cap when `exact` is false ("more than N"). */
  count: number;
  exact: boolean;
}

export interface BatchJourneyStep extends MovementView {
  /** Remainder of the batch across all sites after this movement, in (occurred_at, seq) order. */
  remainder: number;
}

export interface BatchJourney {
  batchId: number;
  batchCode: string;
  expiry: string | null;
  productId: number;
  sku: string;
  productName: string;
  unit: string;
  scale: number;
  steps: BatchJourneyStep[];
  remaining: number;
}

export interface StockAtDateRow {
  productId: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  siteId: number;
  siteCode: string;
  binId: number | null;
  binCode: string | null;
  batchId: number | null;
  batchCode: string | null;
  expiry: string | null;
  qty: number;
}

export interface StockAtDateResult {
  /** The instant asked for, epoch ms. */
  at: number;
  /** The snapshot used (end of that UTC day, epoch ms), or null when none was older than `at`. */
  snapshotAt: number | null;
  /** Movements summed on top of the snapshot. */
  movementsSince: number;
  /** The page asked for (offset/limit). */
  rows: StockAtDateRow[];
  /** Lines in the whole answer. */
  total: number;
}

export interface LowStockRow {
  productId: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  siteId: number;
  siteCode: string;
  siteName: string;
  onHand: number;
  lowStockLevel: number | null;
  status: StockStatus;
}

export interface ProductStockLine {
  siteId: number;
  siteCode: string;
  siteName: string;
  binId: number | null;
  binCode: string | null;
  batchId: number | null;
  batchCode: string | null;
  expiry: string | null;
  qty: number;
}

export interface StockPoint {
  /** Epoch ms of the movement. */
  at: number;
  /** Balance of the product over all its (non-external) sites after this movement. */
  balance: number;
  qty: number;
  type: string;
}

export interface ProductDetails {
  productId: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  stockType: string;
  tracking: TrackingMode;
  lowStockLevel: number | null;
  barcodes: string[];
  onHand: number;
  averageCost: number | null;
  lines: ProductStockLine[];
  /** Stock level over time (sampled to at most ~600 points, every movement kept when fewer). */
  history: StockPoint[];
  movementCount: number;
}

export type ExportFormat = 'csv' | 'xlsx';
export type ExportStatus = 'running' | 'done' | 'failed' | 'cancelled';

/**
 * The progress phase of an export waiting its turn (a PostgreSQL server runs a bounded number at once): how many run
 * and how many wait before it. A running export whose phase this is has not started reading yet.
 */
export function exportWaitingPhase(running: number, ahead: number): string {
  return jobsWaitingPhase(Array.from({ length: running }, () => 'export'), ahead);
}

/**
 * The phase of a job waiting its turn at a PostgreSQL server's gate behind the jobs `running` (their kinds, one entry
 * each): "waiting: 2 exports and 1 posting run already running, 1 more queued before this one".
 */
export function jobsWaitingPhase(running: readonly string[], ahead: number): string {
  const counts = new Map<string, number>();
  for (const kind of running) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, n]) => `${n} ${n === 1 ? kind : `${kind}s`}`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}` : (parts[0] ?? 'other jobs');
  return `waiting: ${list} already running${ahead > 0 ? `, ${ahead} more queued before this one` : ''}`;
}

/** What an export's progress line says while it waits its turn ("Queued: 2 exports already running"), else null. */
export const exportQueuedText = (phase: string | undefined): string | null => (phase?.startsWith('waiting: ') ? `Queued: ${phase.slice('waiting: '.length)}` : null);

export interface ExportJobInfo {
  jobId: string;
  format: ExportFormat;
  status: ExportStatus;
  /** Where the file is on the machine that wrote it (for Open, Show in folder and the download; never shown in a browser). */
  file: string;
  /** The file as the user knows it: where they saved it in the desktop app; the downloaded file's name in browser mode. */
  fileName: string;
  rows: number;
  total: number | null;
  startedAt: number;
  finishedAt: number | null;
  message: string | null;
  /** A human summary of the filter exported. */
  filterSummary: string;
}

/** The dashboard over the last `days` days (UTC days ending today), aggregated in SQL in the ledger worker. */
export interface DashboardData {
  /** Epoch ms of the first day's start and of the last day's end. */
  from: number;
  to: number;
  /** Movement types seen in the period, most frequent first, with their counts. */
  types: { code: string; name: string; count: number }[];
  /** One entry per day (YYYY-MM-DD), movement counts by type code. */
  byDay: { day: string; counts: Record<string, number> }[];
  /** Stock value (money, 1/10000) at the end of each day: today's value at average cost less the movements since. */
  value: { day: string; value: number }[];
  /** The products whose outbound movements (sales and despatches less refunds and credit notes) moved the most value in the period. */
  topMovers: { productId: number; sku: string; name: string; unit: string; scale: number; movements: number; qtyOut: number; valueOut: number }[];
  /** Movements in the period (real sites). */
  movements: number;
  /** Stock value now at average cost (money, 1/10000). */
  currentValue: number;
}

/** Stock balance report (seed 003): per product and site, opening, in, out and closing over a period. */
export interface StockBalanceRow {
  productId: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  siteId: number;
  siteCode: string;
  opening: number;
  qtyIn: number;
  qtyOut: number;
  closing: number;
  /** Average cost now (money per display unit, 1/10000), null when unknown. */
  averageCost: number | null;
  /** closing × average cost (money, 1/10000). */
  closingValue: number | null;
}

export interface StockBalanceReport {
  from: number;
  to: number;
  /** The page asked for (offset/limit), in SKU and site order. */
  rows: StockBalanceRow[];
  /** Lines in the whole report. */
  total: number;
  /** Movements in the period that the report adds up. */
  movements: number;
  closingValue: number;
}
