import { z } from 'zod';

/** The locale a file's numbers are written in ("Numbers in this file"): a BCP 47 tag Intl knows, e.g. en-GB or de-DE. */
export const fileLocaleSchema = z
  .string()
  .min(2)
  .max(35)
  .refine((l) => {
    try {
      return Intl.NumberFormat.supportedLocalesOf([l]).length > 0;
    } catch {
      return false;
    }
  }, 'is not a locale (e.g. en-GB or de-DE)');
