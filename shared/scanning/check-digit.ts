/** GS1 mod-10 check digit over all digits but the last (EAN-8/13, UPC-A, GTIN-14, SSCC). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `code` is all digits and its last digit is the GS1 check digit of the rest. */
export function hasValidCheckDigit(code: string): boolean {
  if (!/^\d{2,18}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

/** The GTIN-14 form of an EAN-8/UPC-A/EAN-13/GTIN-14 (left-padded with zeros). */
export const toGtin14 = (code: string) => code.padStart(14, '0');

/** The shorter forms a GTIN-14 may be stored under as a product barcode (EAN-13, UPC-A, EAN-8). */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  for (const len of [13, 12, 8]) {
    const cut = gtin14.slice(14 - len);
    if (gtin14.slice(0, 14 - len).replace(/0/g, '') === '') forms.push(cut);
  }
  return forms;
}
