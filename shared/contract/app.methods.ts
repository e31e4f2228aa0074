import type { AppInfo } from '../domain';
import { method, returns } from './define-method';
import { demoSchema, emptySchema, jobIdSchema } from './schemas';

export const appMethods = {
  'app.info': method({
    input: emptySchema,
    result: returns<AppInfo>(),
    permission: 'read:stock',
    description: 'Show the version, database and signed-in user',
  }),
  'demo.load': method({
    input: demoSchema,
    result: returns<{ jobId: string }>(),
    permission: 'manage:data',
    description: 'Generate demo data into an empty database as a background job',
  }),
  'jobs.cancel': method({
    input: jobIdSchema,
    result: returns<{ cancelled: boolean }>(),
    permission: 'read:stock',
    description: 'Cancel a running background job',
  }),
} as const;
