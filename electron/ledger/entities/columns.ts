import type { EntitySchemaColumnOptions } from 'typeorm';

/** Column helpers so every entity spells SQLite types the same way as the migrations. */
export const pk = (): EntitySchemaColumnOptions => ({ type: 'integer', primary: true, generated: 'increment' });
export const int = (nullable = false): EntitySchemaColumnOptions => ({ type: 'integer', nullable });
/** Integer quantities, money and epoch-millisecond times. */
export const big = (nullable = false, dflt?: number): EntitySchemaColumnOptions => ({
  type: 'bigint',
  nullable,
  ...(dflt === undefined ? {} : { default: dflt }),
});
export const str = (length: number, nullable = false, dflt?: string): EntitySchemaColumnOptions => ({
  type: 'varchar',
  length,
  nullable,
  ...(dflt === undefined ? {} : { default: dflt }),
});
export const text = (nullable = false, dflt?: string): EntitySchemaColumnOptions => ({
  type: 'text',
  nullable,
  ...(dflt === undefined ? {} : { default: dflt }),
});
/** Optimistic versioning (migration 0030): the record's version, and who changed it last. */
export const versionColumns = (): Record<string, EntitySchemaColumnOptions> => ({ version: { type: 'integer', default: 1 }, updated_by: int(true) });
export const bool = (dflt: boolean): EntitySchemaColumnOptions => ({ type: 'boolean', default: dflt ? 1 : 0 });

/** Entities here describe the schema; typed rows live with the raw statements that read them. */
export type AnyRow = Record<string, unknown>;
