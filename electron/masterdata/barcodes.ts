import { AppError } from '../../shared/contract/errors';
import { gs1CheckDigit, gtinForms, toGtin14 } from '../../shared/scanning/check-digit';

/** The GTIN kinds whose last digit is a GS1 check digit, by length. */
const GTIN_KINDS: Record<number, string> = { 8: 'EAN-8', 12: 'UPC-A', 13: 'EAN-13', 14: 'GTIN-14' };

const refuse = (message: string) => new AppError('VALIDATION', message, { field: 'barcodes' });

/** True for an all-digit code of an EAN-8, UPC-A, EAN-13 or GTIN-14 length. */
export const isGtin = (code: string) => /^\d+$/.test(code) && GTIN_KINDS[code.length] !== undefined;

/**
 * Checks a product's barcodes: an all-digit EAN-8/UPC-A/EAN-13/GTIN-14 must carry its right check digit, and no
 * barcode may be listed twice (also as another form of the same GTIN, such as a UPC-A and its EAN-13 with a leading 0).
 */
export function checkBarcodes(sku: string, barcodes: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const code of barcodes) {
    if (isGtin(code)) {
      const want = gs1CheckDigit(code.slice(0, -1));
      if (Number(code[code.length - 1]) !== want) {
        throw refuse(
          `Barcode ${code} of ${sku} is not a valid ${GTIN_KINDS[code.length]}: its check digit should be ${want}, not ${code[code.length - 1]}. Check the number on the label.`,
        );
      }
    }
    const key = barcodeKey(code);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw refuse(
        earlier === code
          ? `Barcode ${code} is listed twice for ${sku}. Remove one of them.`
          : `Barcodes ${earlier} and ${code} of ${sku} are the same GTIN. Keep one of them.`,
      );
    }
    seen.set(key, code);
  }
}

/** One key for every form of a barcode: a GTIN's 14-digit form, any other code as it is. */
export const barcodeKey = (code: string): string => (isGtin(code) ? toGtin14(code) : code);

/** Every stored form a barcode may take (a GTIN in its 14, 13, 12 and 8-digit forms; any other code as it is). */
export const barcodeForms = (code: string): string[] => (isGtin(code) ? gtinForms(toGtin14(code)) : [code]);
