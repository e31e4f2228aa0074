import type { z } from 'zod';
import { AppError } from '../../shared/contract/errors';
import type { CatalogAction, CatalogSheetName } from '../../shared/catalog';
import { NO_WORDS, YES_WORDS } from '../../shared/catalog-choices';
import type { Permission } from '../../shared/domain';
import type { RecordId } from '../ledger/entities/columns';
import type { Steps } from '../ledger/steps';
import type { CatalogMaster, CatalogRecipeRecords, CatalogRecords, CatalogSupplierRecords } from './catalog-records';

/**
 * One sheet of the catalog (products, sites, bins…): its columns, how a row becomes a record and is checked by the
 * capability's rules, how the planned changes are written, and how the records are exported. A new sheet is one
 * module implementing this and one line in `catalog-sheets.ts`. What reads or writes the database is steps
 * (ledger/steps.ts) run by `ctx.run`: at once on SQLite, awaiting each answer on PostgreSQL; checking a row is plain
 * code on what `load` read.
 */
export interface CatalogSheet<State = unknown, Planned = unknown> {
  name: CatalogSheetName;
  /** The worksheet name it is exported as and the title in problems ("Products"). */
  title: string;
  /** Other worksheet names it is recognised by (compared case- and punctuation-insensitively). */
  worksheetNames: readonly string[];
  columns: readonly ColumnSpec[];
  /** The permission that creates and changes its records (checked in the preview, so the import cannot start without it). */
  permission: Permission;
  /** The field whose column a duplicate key is reported on. */
  keyField: string;
  /** Reads what exists already, once per import (maps and sets, never a query per row). */
  load(ctx: CatalogContext): Steps<State>;
  /**
   * Reads and checks one row. Calls `refuse` once per problem (naming the record and the field) and returns null,
   * or returns the row's key (unique within the sheet, compared case-insensitively), its change and action.
   */
  check(row: SheetRow, state: State, refuse: Refuse, ctx: CatalogContext): CheckedRow<Planned> | null;
  /** Checks across rows once every row was read (e.g. one barcode on two rows). */
  finish?(state: State, rows: readonly CheckedRow<Planned>[], refuse: (row: number, field: string, message: string) => void, ctx: CatalogContext): Steps<void> | void;
  /** Writes the creates and updates, inside the import's one transaction. */
  apply(state: State, rows: readonly CheckedRow<Planned>[], ctx: CatalogContext): Steps<void>;
  /** What writing these rows must hold against other servers' writers (ids of products it changes, barcode keys it gives). */
  writeLocks?(rows: readonly CheckedRow<Planned>[]): WriteLocks;
  /** Every record as cells in column order, for export (decimals as plain "1.500" text, flagged by the column). */
  exportRows(ctx: CatalogContext): Steps<ExportCell[][]>;
}

export type ExportCell = string | null;

export interface ColumnSpec {
  /** The record field it fills; also the path zod names it by. */
  field: string;
  /** The header written on export. */
  header: string;
  /** Other accepted headers. Headers match ignoring case, spaces and punctuation. */
  aliases?: readonly string[];
  /** The file must have this column. */
  required?: boolean;
  /** A decimal number: written in the locale's decimal separator in CSV and as a number in XLSX. */
  numeric?: boolean;
}

/** A data row: its spreadsheet row number (the header is row 1) and its cells by field, for the columns present. */
export interface SheetRow {
  row: number;
  cells: ReadonlyMap<string, string>;
}

export type Refuse = (field: string, message: string) => void;

/** A record's key within its sheet: unique there, lower-cased ("abc-1", "main/a1"). */
export type SheetKey = string;

export interface CheckedRow<Planned> {
  row: number;
  key: SheetKey;
  /** The key as the file writes it, for the preview ("ABC-1", "MAIN/A1"). */
  label: string;
  /** The existing record's id (of the sheet's table); null for a create. */
  id: RecordId | null;
  action: CatalogAction;
  planned: Planned;
}

/** What every sheet's steps share: the stores, the number locale, the clock, and keys planned by earlier sheets. */
/** Records an import holds against other writers (PostgreSQL: products FOR UPDATE, barcode keys by advisory lock). */
export interface WriteLocks {
  products: number[];
  barcodes: string[];
}

export interface CatalogContext {
  md: CatalogMaster;
  store: CatalogRecords;
  suppliers: CatalogSupplierRecords;
  recipes: CatalogRecipeRecords;
  /** Runs steps on these stores: at once on SQLite, awaiting each answer on PostgreSQL. */
  run<T>(steps: Steps<T>): Promise<T>;
  locale: string;
  /** The company's business time zone: a date in a file is that local day, a time without an offset its wall clock. */
  timeZone: string;
  /** The company's locale (never the file's number choice): a date cell may also be written in its short date, 31.05.2026 in de-DE. */
  dateLocale: string;
  now: number;
  /** Who imports (audited by the capabilities that audit each change, e.g. suppliers); 0 for a preview or an export. */
  userId: number;
  /**
   * Keys of each sheet checked so far (lower-cased) → record id (null until a planned create is applied), so a later
   * sheet can refer to a record created by the same file (a bin to its new site, a recipe to its new product).
   */
  refs: Map<CatalogSheetName, Map<string, number | null>>;
  /** The same keys → the row's planned change (e.g. a new product's decimals, a new bin's site and active flag). */
  planned: Map<CatalogSheetName, Map<string, unknown>>;
  /**
   * Takes what an import's write must hold (the single save's locks: products FOR UPDATE in id order, then barcode keys)
   * so the file is checked again on current data; absent on SQLite, whose one writer holds everything already. `locks`
   * is everything wanted so far: a later call first gives up what an earlier one took, then takes all of it in order.
   */
  lockForWrite?(locks: WriteLocks): Promise<void>;
}

/** Header text compared without case, spaces or punctuation ("Low-stock level" = "low_stock_level"). */
export const normHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A row's key as compared: case-insensitive, like the database's COLLATE NOCASE. */
export const keyOf = (s: string) => s.trim().toLowerCase();

const YES = new Set<string>(YES_WORDS);
const NO = new Set<string>([...NO_WORDS, '']);

/** A yes/no cell: yes, y, true, 1, on, x / no, n, false, 0, off or empty. Null when it is neither. */
export function parseYesNo(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  return YES.has(t) ? true : NO.has(t) ? false : null;
}
export const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** A cell that must be one of a list, matched case-insensitively; returns the list's spelling or null. */
export function parseChoice<T extends string>(text: string, choices: readonly T[]): T | null {
  const t = text.trim().toLowerCase();
  return choices.find((c) => c.toLowerCase() === t) ?? null;
}

/** Reports a zod failure of the form's schema field by field; the messages are the forms' own. */
export function refuseIssues(error: z.ZodError, label: string, refuse: Refuse): void {
  for (const issue of error.issues) refuse(String(issue.path[0] ?? ''), named(label, issue.message));
}

/** A rule's refusal (AppError with details.field) as a row problem; anything else is rethrown. */
export function refuseRule(fn: () => void, fallbackField: string, label: string, refuse: Refuse): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const field = (e.details as { field?: string } | undefined)?.field ?? fallbackField;
    refuse(field, named(label, e.message));
    return false;
  }
}

/** A message that names its record: prefixed with the record's label unless the message names it already. */
export const named = (label: string, message: string) => (label && !message.includes(label) ? `${label}: ${message}` : message);

/** Same value, for the unchanged test: plain fields compared with ===, arrays element-wise. */
export function sameFields<T extends object>(a: T, b: T): boolean {
  for (const k of Object.keys(a) as (keyof T)[]) {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    } else if (x !== y) return false;
  }
  return true;
}
