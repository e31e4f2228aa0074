import type { z } from 'zod';
import type { AppInfo, CurrentStockPage, PostedDocument, SiteInfo } from '../domain';
import {
  currentStockQuerySchema,
  demoSchema,
  emptySchema,
  jobIdSchema,
  postDocumentSchema,
} from './schemas';
import type { Permission } from '../domain';

/** A phantom marker carrying a result type through the method map. */
export const returns = <T>() => undefined as unknown as T;

interface MethodDef<I extends z.ZodType, R> {
  input: I;
  result: R;
  permission: Permission;
  description: string;
}

const method = <I extends z.ZodType, R>(def: MethodDef<I, R>) => def;

/** The IPC contract: method name → input schema, result type, required permission. */
export const methods = {
  'app.info': method({
    input: emptySchema,
    result: returns<AppInfo>(),
    permission: 'read:stock',
    description: 'Version, database and signed-in user',
  }),
  'sites.list': method({
    input: emptySchema,
    result: returns<SiteInfo[]>(),
    permission: 'read:stock',
    description: 'All sites incl. the External pseudo-site',
  }),
  'stock.current': method({
    input: currentStockQuerySchema,
    result: returns<CurrentStockPage>(),
    permission: 'read:stock',
    description: 'Current stock per product and site',
  }),
  'ledger.postDocument': method({
    input: postDocumentSchema,
    result: returns<PostedDocument>(),
    permission: 'post:movements',
    description: 'Post one document of movements atomically and idempotently',
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

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = Methods[M]['result'];
export const METHOD_NAMES = Object.keys(methods) as MethodName[];
