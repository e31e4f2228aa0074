import type { CatalogExportFile, CatalogPreview } from '../../shared/catalog';
import type { CatalogExportInput } from '../../shared/contract/catalog.schemas';
import { inSnapshot, type JobScope, type JobWriterSide } from '../jobs/job-scope';
import type { CatalogRecipeTrial } from './catalog-recipe-trial';
import { CatalogStore } from './catalog-store';
import { catalogContext, sqliteCatalog } from './catalog-context';
import { exportCatalog } from './catalog-export';
import { previewCatalog, type CatalogFileInput } from './catalog-import';

export interface CatalogPreviewArgs {
  input: CatalogFileInput;
  permissions: readonly string[];
  now: number;
}

/** A catalog file's preview in a job thread: read and checked on one read snapshot, nothing written. */
export function catalogPreviewJob(job: JobScope, a: CatalogPreviewArgs): Promise<CatalogPreview> {
  return inSnapshot(job.db, () => previewCatalog(sqliteCatalog(job.db), a.input, a.permissions, a.now));
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
