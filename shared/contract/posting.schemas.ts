import { z } from 'zod';
import { oneLineString } from './one-line';
import { COST_COMPONENTS, RULE_CONDITIONS, RULE_PRESETS } from '../posting';

const code = z.string().trim().min(1, 'needs a code').max(32).regex(/^[^\s;]+(?: [^\s;]+)*$/, 'must not contain ";" or double spaces');
/** 'builtin', 'hledger:/path/to/file.journal' or 'csv:sage50|xero:/folder' */
export const targetSchema = z
  .string()
  .trim()
  .max(400)
  .refine((t) => t === 'builtin' || /^hledger:.+/.test(t) || /^csv:(sage50|xero):.+/.test(t), 'must be "builtin", "hledger:PATH" or "csv:sage50|xero:FOLDER"')
  .default('builtin');

export const financeAccountSchema = z.object({ code, name: oneLineString().max(128) }).strict();
export const postingRuleSchema = z
  .object({
    movementType: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
    component: z.enum(COST_COMPONENTS),
    condition: z.enum(RULE_CONDITIONS),
    combineOnCosts: z.boolean(),
    onCostsNeedGroup: z.boolean(),
    debit: code,
    credit: code,
  })
  .strict();

export const saveControlAccountsSchema = z
  .object({ accounts: z.array(financeAccountSchema).min(1).max(5000), rules: z.array(postingRuleSchema).max(5000), target: targetSchema })
  .strict();
export const presetSchema = z.object({ preset: z.enum(RULE_PRESETS) }).strict();
/**
 * A run starts only from a confirmation: expectedMovements is the count the user confirmed (from posting.preview);
 * main refuses to start when a different number is unposted by then.
 */
/** Post up to: a date (its end, 23:59:59.999 in the business time zone), a local date and time there to the second, or an instant with an offset. */
const upToSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.iso.datetime({ local: true })]);

export const postingRunSchema = z
  .object({
    to: upToSchema,
    target: targetSchema,
    summarised: z.boolean().default(false),
    expectedMovements: z.number({ error: 'confirm how many movements to post first' }).int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export const postingPreviewSchema = z
  .object({ to: upToSchema, target: targetSchema, summarised: z.boolean().default(false) })
  .strict();
export const batchIdSchema = z.object({ batchId: z.number().int().positive() }).strict();
/**
 * A batch's reversal. `jobId` (the client's): the reversal runs as that job, so the client hears it wait its turn behind
 * a PostgreSQL server's exports and imports (job.progress) and can cancel the wait (jobs.cancel); the answer is still its report.
 */
export const reverseSchema = z.object({ batchId: z.number().int().positive(), jobId: z.string().min(1).max(64).optional() }).strict();
export const trialBalanceSchema = z.object({ target: targetSchema }).strict();
/** A correction of a receipt's "customs duty paid"; non-EC is the supplier's and is not set here. */
export const documentCustomsSchema = z.object({ documentId: z.number().int().positive(), customsDutyPaid: z.boolean() }).strict();
