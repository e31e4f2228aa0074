import type { CatalogExportFile, CatalogPreview } from '../../shared/catalog';
import type { CatalogExportInput } from '../../shared/contract/catalog.schemas';
import { inSnapshot, type JobScope, type JobWriterSide } from '../jobs/job-scope';
import type { CatalogRecipeTrial } from './catalog-recipe-trial';
import { CatalogStore } from './catalog-store';
import { catalogContext, sqliteCatalog } from './catalog-context';
import { exportCatalog } from './catalog-export';
import { previewCatalog, type CatalogFileInput } from './catalog-import';
import { cancelledWhileReading, readCatalogFile } from './catalog-file';
import { chunkSheets, type ChunkedSheet } from './raw-sheet-chunks';

export interface CatalogPreviewArgs {
  input: CatalogFileInput;
  permissions: readonly string[];
  now: number;
}

/** A catalog file's preview in a job thread: read and checked on one read snapshot, nothing written. */
export function catalogPreviewJob(job: JobScope, a: CatalogPreviewArgs): Promise<CatalogPreview> {
  return inSnapshot(job.db, () => previewCatalog(sqliteCatalog(job.db), a.input, a.permissions, a.now));
}

export interface CatalogReadArgs {
  input: CatalogFileInput;
  /** The number locale the writer's import context chose (the request's, else the company's). */
  locale: string;
}

/**
 * A catalog import's file, read and parsed in a job thread (exceljs is loaded here, never on the writer): its tables in
 * JSON chunks (raw-sheet-chunks.ts), which the writer then checks against the catalog as it is and writes
 * (catalog.ops.ts). Reads nothing of the ledger.
 */
export async function catalogReadJob(job: JobScope, a: CatalogReadArgs): Promise<ChunkedSheet[]> {
  job.progress({ done: 0, total: 1, phase: 'reading' });
  await new Promise((resolve) => setImmediate(resolve)); // a cancel sent with the start arrives here
  if (job.signal.aborted) throw cancelledWhileReading();
  const tables = await readCatalogFile(a.input, a.locale, job.signal);
  if (job.signal.aborted) throw cancelledWhileReading();
  // No 'done' report of its own: the import's window would draw a full bar for the reading, then drop back to 0 when
  // the checking of the rows begins; the checking's first report follows at once.
  return chunkSheets(tables);
}

/** The catalog as a file, built in a job thread from one read snapshot. */
export function catalogExportJob(job: JobScope, a: { input: CatalogExportInput; now: number }): Promise<CatalogExportFile> {
  return inSnapshot(job.db, () => exportCatalog(catalogContext(job.db, a.input.locale, a.now), a.input.sheets, a.input.format));
}

/**
 * The one write a catalog preview asks of the writer: a Recipes sheet's new versions tried by the save's rules (after
 * the file's products they meet, written as the import writes them) in one short transaction that is always rolled
 * back (the job's read-only connection cannot run the rules' trial writes).
 */
export const CATALOG_JOB_WRITES = {
  'catalog.tryRecipeVersions': (w: JobWriterSide, trial: CatalogRecipeTrial, now: number) => new CatalogStore(w.db).tryRecipeVersions(trial, now),
};
