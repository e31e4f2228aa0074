import type { JobWriterSide } from './job-scope';
import { CATALOG_JOB_WRITES } from '../catalog/catalog-read-jobs';
import { SNAPSHOT_JOB_WRITES } from '../enquiry/snapshot-rebuild-job';
import { IMPORT_JOB_WRITES } from '../operations/import-job';
import { POSTING_JOB_WRITES } from '../posting/posting-job';

/**
 * Every write a job may send to the writer, by name: each runs on the writer's connection as one short
 * transaction between the clerks' requests. A job worker can ask for nothing else.
 */
export const JOB_WRITES = {
  ...POSTING_JOB_WRITES,
  ...IMPORT_JOB_WRITES,
  ...SNAPSHOT_JOB_WRITES,
  ...CATALOG_JOB_WRITES,
};

export type JobWriteName = keyof typeof JOB_WRITES;

/** Runs one job write on the writer's side (its connection and poster). */
export function applyJobWrite(writer: JobWriterSide, name: string, args: unknown[]): unknown {
  if (!Object.hasOwn(JOB_WRITES, name)) throw new Error(`unknown job write ${name}`);
  const write = JOB_WRITES[name as JobWriteName] as (writer: JobWriterSide, ...a: unknown[]) => unknown;
  return write(writer, ...args);
}
