import { catalogExportJob, catalogPreviewJob, catalogReadJob } from '../catalog/catalog-read-jobs';
import { movementExportJob } from '../enquiry/movement-export-job';
import { snapshotRebuildJob } from '../enquiry/snapshot-rebuild-job';
import { listExportJob } from '../exports/list-export-job';
import { importJob, importPreviewJob } from '../operations/import-job';
import { postingJob } from '../posting/posting-job';
import { reportPdfJob } from '../posting/report-pdf-job';

/** Every job body a job worker runs, by name (a body gets a JobScope and plain, cloneable arguments). */
export const JOB_BODIES = {
  movementExport: movementExportJob,
  posting: postingJob,
  import: importJob,
  importPreview: importPreviewJob,
  snapshotRebuild: snapshotRebuildJob,
  listExport: listExportJob,
  reportPdf: reportPdfJob,
  catalogPreview: catalogPreviewJob,
  catalogRead: catalogReadJob,
  catalogExport: catalogExportJob,
};

export type JobBodyName = keyof typeof JOB_BODIES;
export type JobArgs<K extends JobBodyName> = Parameters<(typeof JOB_BODIES)[K]>[1];
export type JobResult<K extends JobBodyName> = Awaited<ReturnType<(typeof JOB_BODIES)[K]>>;
