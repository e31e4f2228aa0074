import type { ProductOption } from '../operations';

/** ASCII 29, the GS1 group separator (FNC1 inside a code). */
export const GS = '\u001d';

export interface Gs1Element {
  ai: string;
  title: string;
  /** ISO date for date AIs, otherwise the text as encoded. */
  value: string;
  unit: string;
}

/** What a scanned code says, before any database lookup. Pure data; built by parseScan. */
export interface ParsedScan {
  /** Exactly as received (GS kept as \u001d). */
  raw: string;
  /** AIM symbology identifier, e.g. "]C1", when the scanner sent one. */
  aim: string | null;
  symbology: string;
  /** The code without the AIM prefix. */
  data: string;
  gs1: boolean;
  elements: Gs1Element[];
  /** 14-digit GTIN from AI (01) or a valid EAN/UPC. */
  gtin: string | null;
  batch: string | null;
  /** ISO date (YYYY-MM-DD) from AI (17). */
  expiry: string | null;
  serial: string | null;
  /** Whole units from AI (30) or (37). */
  quantity: number | null;
  /** For EAN/UPC/GTIN: whether the check digit is right. */
  checkDigitOk: boolean | null;
  /** Why the code could not be read as its symbology says, or null. */
  problem: string | null;
}

export type ScanProduct = ProductOption;

export interface ScanResolution {
  product: ScanProduct | null;
  matchedBy: 'barcode' | 'gtin' | 'sku' | 'serial' | 'batch' | null;
  /** An existing batch of the product with the scanned lot code. */
  batch: { id: number; code: string; expiry: string | null } | null;
  serialUnit: { serial: string; inStock: boolean; siteId: number | null } | null;
  /** One line for the user: what the scan is, or that it is unknown and what to do. */
  message: string;
}

export type ScanSource = 'hid' | 'wedge' | 'test';

/** One scan as handled by the main-process queue, pushed as `scan.received`. */
export interface ScanEvent {
  /** Queue order, from 1 per run. */
  seq: number;
  /** The submitter's id for wedge scans (a retry with the same id is not queued twice), generated for HID scans. */
  scanId: string;
  source: ScanSource;
  /** The renderer that typed a wedge scan (it routes it); null for HID scans (the focused window routes them). */
  origin: string | null;
  receivedAt: number;
  parsed: ParsedScan;
  resolution: ScanResolution;
}
