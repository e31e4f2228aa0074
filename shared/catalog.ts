/**
 * Catalog import and export (issue 12): master data as spreadsheets. One CSV file holds one sheet; an XLSX workbook
 * may hold several, one worksheet per sheet, named as the sheet (Products, Sites, Bins).
 */
export const CATALOG_SHEETS = ['sites', 'bins', 'groups', 'suppliers', 'products', 'productSites', 'supplierCodes', 'recipes'] as const;
export type CatalogSheetName = (typeof CATALOG_SHEETS)[number];

/** How a row of the file changes the catalog. */
export type CatalogAction = 'create' | 'update' | 'unchanged';

/** Barcodes in one cell are separated by "|" (a comma or semicolon would clash with the CSV delimiter). */
export const BARCODE_SEPARATOR = '|';

export interface CatalogProblem {
  /** The sheet's title as the user sees it ("Products"). */
  sheet: string;
  /** The row number as a spreadsheet shows it: the header is row 1, the first data row is row 2. */
  row: number;
  /** The column header as written in the file (or the expected header when the column is missing). */
  column: string;
  message: string;
}

export interface CatalogSheetSummary {
  sheet: CatalogSheetName;
  title: string;
  rows: number;
  creates: number;
  updates: number;
  unchanged: number;
  /** Headers of the file not read by any column (ignored, shown so a misspelt header is noticed). */
  ignoredColumns: string[];
}

/** One row's outcome in the preview grid. */
export interface CatalogRowChange {
  sheet: string;
  row: number;
  key: string;
  action: CatalogAction;
}

export interface CatalogPreview {
  /** The locale the file's numbers were read in ("Numbers in this file"). */
  locale: string;
  sheets: CatalogSheetSummary[];
  problemCount: number;
  /** Every problem up to 10,000, in sheet and row order. */
  problems: CatalogProblem[];
  /** Rows that create or update something, up to 10,000 (unchanged rows are counted, not listed). */
  changes: CatalogRowChange[];
  /** Worksheets of a workbook that are not catalog sheets (left alone). */
  ignoredSheets: string[];
}

/** A file to save: CSV text or XLSX bytes in base64, with its suggested name. */
export interface CatalogExportFile {
  fileName: string;
  csv?: string;
  xlsxBase64?: string;
  rows: number;
}

export const CATALOG_LIST_LIMIT = 10_000;
