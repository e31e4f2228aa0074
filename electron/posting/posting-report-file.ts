import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FormatSettings } from '../../shared/company-format';
import type { PostingReport } from '../../shared/posting';
import { reportPdf } from './posting-report-pdf';

/**
 * Where a batch's printable report is saved: `reports/posting-batch-<id>.pdf` beside the ledger file. The path is a
 * pure function of the ledger and the batch id (so it is "recorded with the batch" without a schema change); the
 * report's figures themselves are saved in the batch row (journal_batches.report) and the PDF is made from them.
 */
export function reportPdfPath(ledgerPath: string, batchId: number): string {
  return join(dirname(ledgerPath), 'reports', reportPdfName(batchId));
}

/** The file name a batch's printable report is saved and downloaded under. */
export const reportPdfName = (batchId: number): string => `posting-batch-${batchId}.pdf`;

/** Write the PDF of a finished batch beside the ledger (atomically: temp file then rename). Returns its path. */
export async function saveReportPdf(ledgerPath: string, report: PostingReport, style: FormatSettings): Promise<string> {
  const path = reportPdfPath(ledgerPath, report.batchId);
  const bytes = await reportPdf(report, style);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return path;
}

/**
 * The saved PDF of a batch. A finished batch whose file is missing (deleted, or closed by crash recovery) gets it
 * made again from the saved report; a running batch's PDF is made on the fly and not saved.
 */
export async function loadReportPdf(ledgerPath: string, report: PostingReport, style: FormatSettings): Promise<{ fileName: string; path: string | null; bytes: Buffer }> {
  const path = reportPdfPath(ledgerPath, report.batchId);
  const fileName = basename(path);
  if (report.status === 'running') return { fileName, path: null, bytes: await reportPdf(report, style) };
  if (!existsSync(path)) await saveReportPdf(ledgerPath, report, style);
  return { fileName, path, bytes: readFileSync(path) };
}
