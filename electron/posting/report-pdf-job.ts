import type { FormatSettings } from '../../shared/company-format';
import type { PostingReport } from '../../shared/posting';
import type { JobScope } from '../jobs/job-scope';
import { loadReportPdf, saveReportPdf } from './posting-report-file';

export interface ReportPdfArgs {
  ledgerPath: string;
  report: PostingReport;
  /** The company's currency, locale and time zone the report is written in. */
  style: FormatSettings;
  /** 'save' writes the batch's PDF beside the ledger; 'load' gives its bytes (made and saved first if missing). */
  mode: 'save' | 'load';
}

/** A posting batch's printable report, laid out and written in a job thread (the report's figures come as arguments). */
export async function reportPdfJob(_job: JobScope, a: ReportPdfArgs): Promise<{ fileName: string; path: string | null; bytes: Uint8Array } | { path: string }> {
  if (a.mode === 'save') return { path: await saveReportPdf(a.ledgerPath, a.report, a.style) };
  return loadReportPdf(a.ledgerPath, a.report, a.style);
}
