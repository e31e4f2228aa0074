import { EntitySchema, type EntitySchemaColumnOptions, type EntitySchemaOptions } from 'typeorm';

/** A column's options with its SQL type and nullability kept in the type, so rows can be typed from the entity. */
export type Column<T extends string = string, N extends boolean = boolean> = EntitySchemaColumnOptions & { type: T; nullable: N };

/** Column helpers so every entity spells SQLite types the same way as the migrations. */
export const pk = (): Column<'integer', false> => ({ type: 'integer', primary: true, generated: 'increment', nullable: false });
export const int = <N extends boolean = false>(nullable?: N): Column<'integer', NoInfer<N>> => ({ type: 'integer', nullable: (nullable ?? false) as N });
/** Integer quantities, money and epoch-millisecond times. */
export const big = <N extends boolean = false>(nullable?: N, dflt?: number): Column<'bigint', NoInfer<N>> => ({
  type: 'bigint',
  nullable: (nullable ?? false) as N,
  ...(dflt === undefined ? {} : { default: dflt }),
});
export const str = <N extends boolean = false>(length: number, nullable?: N, dflt?: string): Column<'varchar', NoInfer<N>> => ({
  type: 'varchar',
  length,
  nullable: (nullable ?? false) as N,
  ...(dflt === undefined ? {} : { default: dflt }),
});
export const text = <N extends boolean = false>(nullable?: N, dflt?: string): Column<'text', NoInfer<N>> => ({
  type: 'text',
  nullable: (nullable ?? false) as N,
  ...(dflt === undefined ? {} : { default: dflt }),
});
/** Optimistic versioning (migration 0030): the record's version, and who changed it last. */
export const versionColumns = () => ({ version: { type: 'integer', default: 1, nullable: false } as Column<'integer', false>, updated_by: int(true) });
export const bool = (dflt: boolean): Column<'boolean', false> => ({ type: 'boolean', default: dflt ? 1 : 0, nullable: false });

/** The row type TypeORM's schema is built with; every entity is declared with `entity()`, which also types its rows. */
export type AnyRow = Record<string, unknown>;

/** What better-sqlite3 returns for a column: integers (bigint too: no safeIntegers), text, and 0/1 for booleans. */
type ValueOf<C> = C extends { type: infer T }
  ? (T extends 'integer' | 'bigint' ? number : T extends 'varchar' | 'text' ? string : T extends 'boolean' ? 0 | 1 : unknown) | (C extends { nullable: true } ? null : never)
  : unknown;

/** A table row as SQLite stores it: column name to value. */
export type RowOf<C> = { -readonly [K in keyof C]: ValueOf<C[K]> };

/**
 * An entity whose row type follows from its columns: `EntityRow<typeof ProductEntity>` is the products row,
 * `EntityRecord<typeof ProductEntity>` the same with camelCase keys (what a store's `col AS camelCase` selects).
 */
export function entity<const C extends Record<string, EntitySchemaColumnOptions>>(
  options: Omit<EntitySchemaOptions<AnyRow>, 'columns'> & { columns: C },
): EntitySchema<RowOf<C>> {
  return new EntitySchema<AnyRow>(options) as unknown as EntitySchema<RowOf<C>>;
}

export type EntityRow<E> = E extends EntitySchema<infer R> ? R : never;

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
export type EntityRecord<E> = { [K in keyof EntityRow<E> as Camel<K & string>]: EntityRow<E>[K] };

/** Any entity's primary key as read (a `pk()` column), for code that holds the id of a record of one of several tables. */
export type RecordId = ValueOf<ReturnType<typeof pk>>;

/** A row read through a LEFT JOIN: every column may be null (no matching row). */
export type Joined<R> = { [K in keyof R]: R[K] | null };

/** A boolean column's value as either store gives it: SQLite's 0/1, PostgreSQL's true/false; every other value as it is. */
type EitherValue<V> = [V] extends [0 | 1] ? V | boolean : [V] extends [0 | 1 | null] ? V | boolean : V;
/** A row as both stores read it (PostgreSQL's pool reads bigint as exact numbers, its booleans stay booleans). */
export type EitherRow<R> = { [K in keyof R]: EitherValue<R[K]> };

/** A row as PostgreSQL's pool reads it: snake_case keys as stored, booleans as booleans (`EntityRow` keeps SQLite's 0/1). */
export type PgRow<R> = { [K in keyof R]: FieldValue<R[K]> };

/** A boolean column's value as the rules hold it; every other value as it is. */
type FieldValue<V> = [V] extends [0 | 1] ? boolean : [V] extends [0 | 1 | null] ? boolean | null : V;
/** An entity's record as the rules compare and write it: camelCase keys, booleans as booleans (`EntityRecord` keeps 0/1). */
export type EntityFields<E> = { [K in keyof EntityRecord<E>]: FieldValue<EntityRecord<E>[K]> };
