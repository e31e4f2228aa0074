import { parseBarcode, type ParsedElement } from 'gs1-barcode-parser-mod';
import { hasValidCheckDigit, toGtin14 } from './check-digit';
import { GS, type Gs1Element, type ParsedScan } from './scan-types';

/** AIM identifiers (ISO/IEC 15424) whose data is a GS1 element string. */
const GS1_AIMS: Record<string, string> = {
  ']C1': 'GS1-128',
  ']d2': 'GS1 DataMatrix',
  ']e0': 'GS1 DataBar',
  ']e1': 'GS1 Composite',
  ']e2': 'GS1 Composite',
  ']Q3': 'GS1 QR Code',
};
/** Symbology by the AIM code character, for non-GS1 codes. */
const AIM_SYMBOLOGY: Record<string, string> = {
  A: 'Code 39',
  C: 'Code 128',
  E: 'EAN/UPC',
  F: 'Codabar',
  G: 'Code 93',
  I: 'Interleaved 2 of 5',
  L: 'PDF417',
  Q: 'QR Code',
  d: 'Data Matrix',
  e: 'GS1 DataBar',
  z: 'Aztec',
};
const AIM = /^\][A-Za-z][0-9A-Za-z]/;
const PLAIN_LENGTHS: Record<number, string> = { 8: 'EAN-8', 12: 'UPC-A', 13: 'EAN-13', 14: 'GTIN-14' };

const empty = (raw: string, aim: string | null, symbology: string, data: string): ParsedScan => ({
  raw,
  aim,
  symbology,
  data,
  gs1: false,
  elements: [],
  gtin: null,
  batch: null,
  expiry: null,
  serial: null,
  quantity: null,
  checkDigitOk: null,
  problem: null,
});

/** A bare element string without AIM prefix: starts with FNC1, has GS separators, or is (01)+valid GTIN followed by more. */
function looksLikeGs1(data: string): boolean {
  if (/^\(\d{2,4}\)/.test(data)) return true;
  if (/^\d{2}/.test(data) && data.includes(GS)) return true;
  return /^01\d{14}./.test(data) && hasValidCheckDigit(data.slice(2, 16));
}

function elementOf(e: ParsedElement): Gs1Element {
  const value = e.isoDate ? e.isoDate : e.data instanceof Date ? e.data.toISOString().slice(0, 10) : e.raw || String(e.data);
  return { ai: e.ai, title: e.dataTitle, value, unit: e.unit ?? '' };
}

function parseGs1(scan: ParsedScan, text: string): ParsedScan {
  scan.gs1 = true;
  try {
    const parsed = parseBarcode(text);
    scan.elements = parsed.parsedCodeItems.map(elementOf);
  } catch (e) {
    scan.problem = `This GS1 code could not be read (${typeof e === 'string' ? e : e instanceof Error ? e.message : 'unknown reason'}). Scan it again, or check the scanner sends the GS separator (FNC1).`;
    return scan;
  }
  const get = (...ais: string[]) => scan.elements.find((x) => ais.includes(x.ai))?.value ?? null;
  const gtin = get('01', '02');
  if (gtin) {
    scan.gtin = gtin;
    scan.checkDigitOk = hasValidCheckDigit(gtin);
    if (!scan.checkDigitOk) scan.problem = `The GTIN ${gtin} has a wrong check digit. Scan it again; if it repeats, the label is misprinted.`;
  }
  scan.batch = get('10');
  scan.expiry = get('17', '15', '16');
  scan.serial = get('21');
  const qty = get('30', '37');
  scan.quantity = qty !== null && /^\d+$/.test(qty) ? Number(qty) : null;
  return scan;
}

/**
 * Reads any scanned code: an AIM symbology prefix (]C1, ]d2, ]e0, ]Q3, ]E0…), GS1 element strings (with GS
 * separators or in the (AI) human-readable form) through gs1-barcode-parser-mod, and plain EAN-8/UPC-A/EAN-13/
 * GTIN-14 with check-digit validation; anything else is kept as a Code 128 / text code.
 */
export function parseScan(input: string): ParsedScan {
  const raw = input.replace(/[\r\n]+$/, '');
  const aim = AIM.exec(raw)?.[0] ?? null;
  // A leading GS is FNC1 in first position (some scanners send it instead of the AIM prefix): it marks GS1.
  let data = aim ? raw.slice(3) : raw;
  const leadingFnc1 = data.startsWith(GS);
  if (leadingFnc1) data = data.slice(1);
  data = data.replace(new RegExp(`${GS}+$`), '');

  if (aim && GS1_AIMS[aim]) return parseGs1(empty(raw, aim, GS1_AIMS[aim], data), data);
  if (!aim && (leadingFnc1 || looksLikeGs1(data))) return parseGs1(empty(raw, null, 'GS1', data), data);

  const symbology = aim ? (AIM_SYMBOLOGY[aim[1]!] ?? 'Unknown') : 'Code 128';
  const digits = /^\d+$/.test(data);
  const plainName = PLAIN_LENGTHS[data.length];
  if (digits && plainName && (!aim || aim[1] === 'E' || aim[1] === 'I')) {
    const scan = empty(raw, aim, aim?.[1] === 'I' ? 'ITF-14' : plainName, data);
    scan.checkDigitOk = hasValidCheckDigit(data);
    if (scan.checkDigitOk) scan.gtin = toGtin14(data);
    else if (aim?.[1] === 'E' || data.length === 13) {
      // Without an AIM prefix, an 8/12/14-digit number may be an internal code: only an EAN-13 length is flagged.
      scan.problem = `${data} looks like an ${plainName} but its check digit is wrong. Scan it again; if it repeats, type the code.`;
    } else scan.symbology = symbology;
    return scan;
  }
  return empty(raw, aim, symbology, data);
}

/** Shows control characters for display: GS as ␝. */
export const visibleCode = (code: string) => code.replace(new RegExp(GS, 'g'), '␝');
