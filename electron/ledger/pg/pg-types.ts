import pg from 'pg';

/** PostgreSQL type oids whose text Stockbook reads as whole numbers. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * int8 (and numeric, what SUM over bigint returns) arrive as a JS number only when the value is a whole number and a
 * safe integer; anything else is refused, so neither a float nor a string can leak into domain code. Quantities, money
 * and times are integers far inside 2^53 (a quantity of 9e15 base units is not stock); a value past it is a corrupt row.
 */
export function exactInteger(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new RangeError(`PostgreSQL returned ${text} where a whole number was expected.`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`PostgreSQL returned ${text}, beyond the exact integer range (±2^53) Stockbook holds quantities, money and times in.`);
  return n;
}

/** The type parsers every Stockbook pool uses (per pool: the pg module's global parsers are left alone). */
export const STOCKBOOK_PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return exactInteger;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PgConnection {
  host: string;
  port: number;
  user: string;
  database: string;
  password?: string;
}

/** A pool with Stockbook's exact-integer parsers. */
export function openPool(connection: PgConnection, max = 4): pg.Pool {
  return new pg.Pool({ ...connection, max, types: STOCKBOOK_PG_TYPES });
}
