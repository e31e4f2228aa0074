import { z } from 'zod';
import { oneLineString } from './one-line';
import { SETUP_STEPS } from '../company';

/**
 * Company settings as the Company window and the first-run assistant send them. The shape is checked here; whether
 * the currency, time zone and locale exist is a rule in main (electron/company/company-rules.ts), which names the field.
 */
export const companySettingsSchema = z
  .object({
    name: oneLineString().min(1, 'The company name is required').max(128, 'The company name must be at most 128 characters'),
    currency: z.string().trim().max(16, 'The base currency must be a three-letter ISO 4217 code, e.g. GBP'),
    timeZone: z.string().trim().max(64, 'The time zone must be an IANA name, e.g. Europe/London'),
    locale: z.string().trim().max(64, 'The locale must be a language tag, e.g. en-GB'),
    fyStartMonth: z.number().int('The first month of the financial year must be a month number, 1 to 12'),
  })
  .strict();

export const companyUpdateSchema = companySettingsSchema
  .extend({
    /** From the first-run assistant: the step it moves on to, saved in the same transaction as the settings. */
    setupStep: z.enum(SETUP_STEPS).optional(),
  })
  .strict();

export const setupStepSchema = z.object({ step: z.enum(SETUP_STEPS) }).strict();

export type CompanySettingsInput = z.output<typeof companySettingsSchema>;
export type CompanyUpdateInput = z.output<typeof companyUpdateSchema>;
