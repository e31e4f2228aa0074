import type { OnCosts } from '../../shared/domain';
import type { CompanyDays } from '../company/company-time';
import type { ComponentQty } from '../recipes/recipe-store';
import type { ReceiptSupplier } from '../suppliers/suppliers';
import type { DocMovement, EffectiveBalance, LevelRow, OpDocument, OpProduct, OpSite, BatchMovedLater, SerialMovedLater, SerialUnitPlace } from './ops-store';

/**
 * What the operations' document builders read (the one set of rules on both stores): products, sites, quants, costs,
 * recipe components, serial units, the documents they reverse, the receipt's supplier, and how a time is shown.
 * Synchronous: SQLite answers from its prepared statements inside the writer's transaction (ops-store.ts); PostgreSQL
 * from a snapshot read under the chain lock inside the posting transaction (ops-snapshot.ts, pg-ops-store.ts).
 */
export interface OpsReads {
  product(id: number, where?: string): OpProduct;
  site(id: number, role?: string): OpSite;
  /** Quants of a product at a site with stock (or debt), first expiry first. */
  levels(productId: number, siteId: number): LevelRow[];
  levelQty(productId: number, siteId: number, binId: number | null, batchCode: string | null): number;
  /** The latest effective time (epoch ms) of the product's movements at the site; null without any (a backdating's cheap check). */
  latestAt(productId: number, siteId: number): number | null;
  /** The product/site balance by effective time at the end of `at` and its lowest at a later effective time. */
  balanceFrom(productId: number, siteId: number, at: number): EffectiveBalance;
  /** What the product's movements dated after `at` moved at the site per batch, and the lowest point of each (a backdated line's batches then). */
  laterByBatch(productId: number, siteId: number, at: number): BatchMovedLater[];
  /** The expiry (YYYY-MM-DD) a known batch of the product was first brought in with; null for a new batch or one without. */
  batchExpiry(productId: number, code: string): string | null;
  latestCost(productId: number, siteId: number): number | null;
  /** The components of the recipe version in force at `at` (epoch ms). */
  components(recipeId: number, at: number): ComponentQty[];
  latestOnCosts(productId: number, siteId: number): OnCosts;
  serialUnit(productId: number, serial: string): SerialUnitPlace | null;
  /** What a serial unit's movements at the site dated after `at` moved, and their lowest point (a backdated line's unit then). */
  serialLater(productId: number, serial: string, siteId: number, at: number): SerialMovedLater;
  /** The product's serial units in stock at `siteId` spelled as `serial` in another letter case (a refusal's hint; never matched). */
  serialsInOtherCase(productId: number, serial: string, siteId: number): string[];
  /** A document as messages name it (its type and the reference the clerk gave it) and when it took effect. */
  document(id: number): OpDocument;
  movementsOf(documentId: number): DocMovement[];
  /** Signed sum of the movements that point at this one. */
  reversedQty(seq: number): number;
  valueCredited(seq: number): number;
  /** The supplier picked on a receipt: refused when unknown or inactive (suppliers.ts's rule). */
  receiptSupplier(supplierId: number): ReceiptSupplier;
  /** An instant as messages show it: the company's date format and time zone. */
  dateTime(at: number): string;
  /** The company's business day of an instant and its way of showing a calendar day (a batch's expiry). */
  days(): CompanyDays;
}
