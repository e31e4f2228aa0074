import { movementExportJob } from '../enquiry/movement-export-job';
import { postingJob } from '../posting/posting-job';

/** Every job body a job worker runs, by name (a body gets a JobScope and plain, cloneable arguments). */
export const JOB_BODIES = {
  movementExport: movementExportJob,
  posting: postingJob,
};

export type JobBodyName = keyof typeof JOB_BODIES;
export type JobArgs<K extends JobBodyName> = Parameters<(typeof JOB_BODIES)[K]>[1];
export type JobResult<K extends JobBodyName> = Awaited<ReturnType<(typeof JOB_BODIES)[K]>>;
