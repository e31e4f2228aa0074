import type { z } from 'zod';
import type { Permission } from '../domain';

/** A phantom marker carrying a result type through the method map. */
export const returns = <T>() => undefined as unknown as T;

export interface MethodDef<I extends z.ZodType, R> {
  input: I;
  result: R;
  permission: Permission;
  description: string;
}

/** One contract entry: input schema (validated in main), result type, required permission. */
export const method = <I extends z.ZodType, R>(def: MethodDef<I, R>) => def;
