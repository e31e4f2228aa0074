import { z } from 'zod';
import { MAX_QUANTITY_UNITS } from '../quantity';
import { oneLineString } from './one-line';
import { fileLocaleSchema } from './file-locale.schema';
import {
  ADJUSTMENT_REASONS,
  BATCH_CODE_MAX,
  DESPATCH_KINDS,
  IMPORT_KINDS,
  INBOUND_RETURN_KINDS,
  PRODUCTION_KINDS,
  RECEIPT_REVERSAL_KINDS,
  RECEIVE_KINDS,
  REFUND_KINDS,
  SERIAL_MAX,
  WRITE_OFF_KINDS,
  WRITE_OFF_REASONS,
} from '../operations';
import { onCostsSchema } from './schemas';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const money = z.number().int().min(0).max(1e15);
const qty = z.number().int().positive('must be more than zero').max(MAX_QUANTITY_UNITS, 'is too large');
const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
const batchCode = z.string().trim().min(1).max(BATCH_CODE_MAX, `The batch code must be at most ${BATCH_CODE_MAX} characters`);
const serial = z.string().trim().min(1).max(SERIAL_MAX, `The serial number must be at most ${SERIAL_MAX} characters`);
const batch = z.object({ code: batchCode, expiry: isoDate.optional() }).strict();
const serials = z.array(serial).min(1).max(10_000);
const lines = <T extends z.ZodType>(line: T) => z.array(line).min(1, 'needs at least one line').max(10_000);

/** What every operation document has: an idempotency key (one per form), reference, effective time, note. */
const header = {
  idempotencyKey: z.string().trim().min(8).max(128),
  reference: oneLineString().max(100).optional(),
  occurredAt: isoTime.optional(),
  note: z.string().max(2000).optional(),
};

/** A line that takes stock out: batch and bin optional (first-expiry-first-out picks them), serials for serial products. */
export const pickLineSchema = z
  .object({ productId: id, qty, binId: id.optional(), batch: batch.optional(), serials: serials.optional() })
  .strict();

export const receiveSchema = z
  .object({
    ...header,
    kind: z.enum(RECEIVE_KINDS),
    siteId: id,
    dutyPaid: z.boolean().default(false),
    /** Seed 004: "Customs Duty Paid" ticked on the purchase; customs duty is posted when the supplier is outside the EC. Needs a supplier. */
    customsDutyPaid: z.boolean().optional(),
    counterparty: oneLineString().max(128).optional(),
    /** The supplier (Suppliers window) the stock comes from: must exist and be active. */
    supplierId: id.optional(),
    /** The clerk confirmed receiving a batch whose expiry is before the receipt's business day (refused otherwise). */
    confirmExpired: z.boolean().optional(),
    lines: lines(
      z
        .object({ productId: id, qty, binId: id.optional(), batch: batch.optional(), serials: serials.optional(), unitCost: money, onCosts: onCostsSchema.optional() })
        .strict(),
    ),
  })
  .strict();

const reverseLine = z.object({ seq: id, qty }).strict();

export const reverseReceiptSchema = z
  .object({ ...header, kind: z.enum(RECEIPT_REVERSAL_KINDS), documentId: id, lines: z.array(reverseLine).min(1).max(10_000).optional() })
  .strict();

export const despatchSchema = z
  .object({ ...header, kind: z.enum(DESPATCH_KINDS), siteId: id, counterparty: oneLineString().max(128).optional(), lines: lines(pickLineSchema) })
  .strict();

export const refundSchema = z
  .object({
    ...header,
    kind: z.enum(REFUND_KINDS),
    documentId: id,
    returnToStock: z.boolean(),
    binId: id.optional(),
    /** The clerk confirmed returning to stock a batch whose expiry is before the document's business day (refused otherwise). */
    confirmExpired: z.boolean().optional(),
    lines: z.array(reverseLine).min(1).max(10_000).optional(),
  })
  .strict();

export const inboundReturnSchema = z
  .object({
    ...header,
    kind: z.enum(INBOUND_RETURN_KINDS),
    siteId: id,
    fromSiteId: id.optional(),
    /** The clerk confirmed returning a batch whose expiry is before the document's business day (refused otherwise). */
    confirmExpired: z.boolean().optional(),
    lines: lines(z.object({ productId: id, qty, binId: id.optional(), batch: batch.optional(), serials: serials.optional() }).strict()),
  })
  .strict();

export const transferSchema = z
  .object({
    ...header,
    fromSiteId: id,
    toSiteId: id,
    /** The receiving site's bin for every line that names none of its own. */
    toBinId: id.optional(),
    /** A line's own `toBinId`: the bin its stock goes into at the receiving site (the form shows the product's default bin there). */
    lines: lines(pickLineSchema.extend({ unitCost: money.optional(), toBinId: id.optional() })),
  })
  .strict();

export const internalTransferSchema = z
  .object({
    ...header,
    siteId: id,
    /** The clerk confirmed moving stock into a batch whose expiry is before the document's business day (refused otherwise). */
    confirmExpired: z.boolean().optional(),
    lines: lines(
      z
        .object({
          productId: id,
          qty,
          fromBinId: id.optional(),
          fromBatch: batch.optional(),
          toBinId: id.optional(),
          toBatch: batch.optional(),
          serials: serials.optional(),
        })
        .strict(),
    ),
  })
  .strict();

export const writeOffSchema = z
  .object({ ...header, kind: z.enum(WRITE_OFF_KINDS), siteId: id, reason: z.enum(WRITE_OFF_REASONS), lines: lines(pickLineSchema) })
  .strict();

export const productionSchema = z
  .object({
    ...header,
    kind: z.enum(PRODUCTION_KINDS),
    siteId: id,
    output: z.object({ productId: id, qty, binId: id.optional(), batch: batch.optional() }).strict(),
    /** The clerk confirmed producing a batch whose expiry is before the document's business day (refused otherwise). */
    confirmExpired: z.boolean().optional(),
    /** Omitted: the output product's recipe components, scaled by the output quantity. */
    components: z.array(pickLineSchema).min(1).max(10_000).optional(),
  })
  .strict();

export const periodVarianceSchema = z
  .object({
    ...header,
    siteId: id,
    lines: lines(z.object({ productId: id, binId: id.optional(), batch: batch.optional(), counted: z.number().int().min(0).max(MAX_QUANTITY_UNITS) }).strict()),
  })
  .strict();

export const draftCreateSchema = z
  .object({
    name: oneLineString().min(1, 'enter a name').max(128),
    siteId: id,
    /** Absent: the moment the draft is started, by the ledger's clock (a form's untouched Date; never the browser's clock). */
    effectiveAt: isoTime.optional(),
    note: z.string().max(2000).optional(),
    /** Seed 004's "Duty Paid" box: posted as Stock Adjustment (In/Out) with stock coming in at its on-costs in one pair. */
    dutyPaid: z.boolean().optional(),
  })
  .strict();
export const draftUpdateSchema = z
  .object({
    draftId: id,
    name: oneLineString().min(1, 'enter a name').max(128).optional(),
    siteId: id.optional(),
    effectiveAt: isoTime.optional(),
    note: z.string().max(2000).optional(),
    dutyPaid: z.boolean().optional(),
    /** The draft's version this edit was made from: refused if someone saved the draft since (absent: saved over it). */
    version: z.number().int().positive().optional(),
  })
  .strict();
export const draftLineSchema = z
  .object({
    draftId: id,
    /** Omitted: a new line at the end. */
    lineNo: z.number().int().positive().optional(),
    /** With lineNo: the line's version this edit was made from; refused if someone saved the line since. */
    version: z.number().int().positive().optional(),
    productId: id,
    qty: z.number().int().refine((q) => q !== 0, 'must not be zero').refine((q) => Math.abs(q) <= MAX_QUANTITY_UNITS, 'is too large'),
    reason: z.enum(ADJUSTMENT_REASONS),
    binId: id.optional(),
    batch: batch.optional(),
    serial: serial.optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export const draftLineRefSchema = z.object({ draftId: id, lineNo: z.number().int().positive() }).strict();
export const draftIdSchema = z.object({ draftId: id }).strict();
export const draftPostSchema = z
  .object({
    draftId: id,
    idempotencyKey: z.string().trim().min(8).max(128),
    /** The clerk confirmed adding stock to a batch whose expiry is before the draft's business day (refused otherwise). */
    confirmExpired: z.boolean().optional(),
  })
  .strict();
export const draftListSchema = z.object({ status: z.enum(['draft', 'posted', 'all']).default('draft') }).strict();
export const pageSchema = z.object({ limit: z.number().int().min(1).max(500).default(50), offset: z.number().int().min(0).default(0) }).strict();

const importBase = {
  /** A CSV file's text; or leave it out and send the XLSX file as `xlsxBase64`. */
  csv: z.string().max(64_000_000, 'is larger than 64 MB; split the file').optional(),
  xlsxBase64: z.string().max(90_000_000, 'is larger than 64 MB; split the file').optional(),
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string().max(260).optional(),
  /** The locale the file's numbers are written in ("Numbers in this file"); the company's locale when left out, never the server's. */
  locale: fileLocaleSchema.optional(),
};
const oneFile = (v: { csv?: string | undefined; xlsxBase64?: string | undefined }) => Boolean(v.csv?.trim()) !== Boolean(v.xlsxBase64);
const oneFileMessage = { message: 'the file is empty: send a CSV file (csv) or an XLSX file (xlsxBase64), one of them', path: ['csv'] };
export const importPreviewSchema = z.object(importBase).strict().refine(oneFile, oneFileMessage);
export const importStartSchema = z
  .object({
    ...importBase,
    jobId: z.string().min(1).max(64),
    idempotencyKey: z.string().trim().min(8).max(100),
    occurredAt: isoTime.optional(),
    /** The user confirmed importing a file whose content was imported before (it is refused otherwise). */
    confirmDuplicate: z.boolean().optional(),
    /** The user confirmed importing rows whose batch expired before the import's business day (refused otherwise). */
    confirmExpired: z.boolean().optional(),
  })
  .strict()
  .refine(oneFile, oneFileMessage);

/** The review step: any posting operation's input, previewed without writing. */
export const reviewSchema = z.discriminatedUnion('operation', [
  z.object({ operation: z.literal('receive'), input: receiveSchema }).strict(),
  z.object({ operation: z.literal('reverseReceipt'), input: reverseReceiptSchema }).strict(),
  z.object({ operation: z.literal('despatch'), input: despatchSchema }).strict(),
  z.object({ operation: z.literal('refund'), input: refundSchema }).strict(),
  z.object({ operation: z.literal('inboundReturn'), input: inboundReturnSchema }).strict(),
  z.object({ operation: z.literal('transfer'), input: transferSchema }).strict(),
  z.object({ operation: z.literal('internalTransfer'), input: internalTransferSchema }).strict(),
  z.object({ operation: z.literal('writeOff'), input: writeOffSchema }).strict(),
  z.object({ operation: z.literal('produce'), input: productionSchema }).strict(),
  z.object({ operation: z.literal('periodVariance'), input: periodVarianceSchema }).strict(),
  // An adjustment draft, reviewed as it would post (operations.draftPost).
  z.object({ operation: z.literal('draftPost'), input: draftPostSchema }).strict(),
]);

export const productSearchSchema = z.object({ search: z.string().max(200).default(''), limit: z.number().int().min(1).max(200).default(20) }).strict();
export const siteIdSchema = z.object({ siteId: id }).strict();
export const availabilitySchema = z.object({ productId: id, siteId: id }).strict();
export const documentIdSchema = z.object({ documentId: id }).strict();
export const recentDocumentsSchema = z
  .object({ types: z.array(z.string().max(40)).max(20).optional(), limit: z.number().int().min(1).max(200).default(30) })
  .strict();

export type ReceiveInput = z.output<typeof receiveSchema>;
export type ReverseReceiptInput = z.output<typeof reverseReceiptSchema>;
export type DespatchInput = z.output<typeof despatchSchema>;
export type RefundInput = z.output<typeof refundSchema>;
export type InboundReturnInput = z.output<typeof inboundReturnSchema>;
export type TransferInput = z.output<typeof transferSchema>;
export type InternalTransferInput = z.output<typeof internalTransferSchema>;
export type WriteOffInput = z.output<typeof writeOffSchema>;
export type ProductionInput = z.output<typeof productionSchema>;
export type PeriodVarianceInput = z.output<typeof periodVarianceSchema>;
export type PickLine = z.output<typeof pickLineSchema>;
export type DraftCreateInput = z.output<typeof draftCreateSchema>;
export type DraftUpdateInput = z.output<typeof draftUpdateSchema>;
export type DraftLineInput = z.output<typeof draftLineSchema>;
export type ImportPreviewInput = z.output<typeof importPreviewSchema>;
export type ImportStartInput = z.output<typeof importStartSchema>;
export type ReviewInput = z.output<typeof reviewSchema>;
