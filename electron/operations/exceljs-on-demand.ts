import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded the first time a workbook is read or written: it takes the better part of a second to load, and
 * every ledger worker and job thread holds the catalog code, while few of them ever touch an XLSX file (a posting job,
 * the ledger worker's start-up).
 */
export async function excelJs(): Promise<typeof ExcelJS> {
  const m = (await import('exceljs')) as unknown as { default?: typeof ExcelJS } & typeof ExcelJS;
  return m.default ?? m;
}
