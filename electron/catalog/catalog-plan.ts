import { CATALOG_LIST_LIMIT, type CatalogPreview, type CatalogProblem, type CatalogRowChange, type CatalogSheetName, type CatalogSheetSummary } from '../../shared/catalog';
import { AppError } from '../../shared/contract/errors';
import { shiftedRowProblem } from '../../shared/csv';
import type { RawSheet } from './catalog-file';
import { normHeader, type CatalogContext, type CatalogSheet, type CheckedRow } from './catalog-sheet';
import { CATALOG_SHEET_MODULES } from './catalog-sheets';
import { needsPermission } from '../../shared/permission-names';

type AnySheet = CatalogSheet<unknown, unknown>;

/** A checked file: the preview, and per sheet what to write once there are no problems. */
export interface CatalogPlan {
  preview: CatalogPreview;
  sheets: { sheet: AnySheet; state: unknown; rows: CheckedRow<unknown>[] }[];
}

export interface PlanOptions {
  /** For a CSV: which sheet it holds (found from its headers when left out). */
  sheet?: CatalogSheetName | undefined;
  /** The caller's permissions; a sheet they may not change is a problem on its header row. */
  permissions?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  progress?: (done: number, total: number) => void;
}

/** Rows checked between yields: other requests interleave, progress is reported, cancellation is seen. */
const CHUNK = 5_000;

const headerNames = (sheet: AnySheet) => sheet.columns.map((c) => c.header).join(', ');

/** Which column of the file each field comes from (a header matches its column's header first, then its aliases). */
function mapHeaders(sheet: AnySheet, header: readonly string[]) {
  const norm = header.map(normHeader);
  const used = new Set<number>();
  const index = new Map<string, number>();
  for (const pass of ['header', 'alias'] as const) {
    for (const col of sheet.columns) {
      if (index.has(col.field)) continue;
      const names = pass === 'header' ? [col.header] : (col.aliases ?? []);
      for (const name of names.map(normHeader)) {
        const i = norm.findIndex((h, j) => h === name && !used.has(j));
        if (i >= 0) {
          index.set(col.field, i);
          used.add(i);
          break;
        }
      }
    }
  }
  return { index, ignored: header.filter((h, i) => !used.has(i) && h.trim() !== '') };
}

/** The sheet a table's headers fit: every required column present, the most columns matched. */
function detectSheet(header: readonly string[]): AnySheet | null {
  let best: AnySheet | null = null;
  let bestScore = 0;
  for (const sheet of CATALOG_SHEET_MODULES) {
    const { index } = mapHeaders(sheet, header);
    if (sheet.columns.some((c) => c.required && !index.has(c.field))) continue;
    if (index.size > bestScore) {
      best = sheet;
      bestScore = index.size;
    }
  }
  return best;
}

const byWorksheetName = (name: string) =>
  CATALOG_SHEET_MODULES.find((s) => normHeader(s.title) === normHeader(name) || s.worksheetNames.some((w) => normHeader(w) === normHeader(name))) ?? null;

/**
 * Checks a whole catalog file without writing: each table is matched to a sheet (by worksheet name, the requested
 * sheet, or its headers), each row is read and checked by its sheet's rules, duplicate keys in the file and problems
 * across rows are found, and every problem is listed with its sheet, row, column and a message naming the record.
 */
export async function planCatalog(ctx: CatalogContext, raw: readonly RawSheet[], options: PlanOptions = {}): Promise<CatalogPlan> {
  const problems: CatalogProblem[] = [];
  let problemCount = 0;
  const problem = (p: CatalogProblem) => {
    problemCount++;
    if (problems.length < CATALOG_LIST_LIMIT) problems.push(p);
  };
  const assigned = new Map<CatalogSheetName, RawSheet>();
  const ignoredSheets: string[] = [];
  for (const table of raw) {
    const header = table.rows[0]?.cells ?? [];
    const sheet =
      (table.worksheet !== null ? byWorksheetName(table.worksheet) : null) ??
      (table.worksheet === null && options.sheet ? CATALOG_SHEET_MODULES.find((s) => s.name === options.sheet)! : null) ??
      detectSheet(header);
    const where = table.worksheet === null ? 'The file' : `Worksheet ${table.worksheet}`;
    if (!sheet) {
      if (table.worksheet !== null) ignoredSheets.push(table.worksheet);
      else
        problem({
          sheet: '',
          row: 1,
          column: '',
          message: `${where}'s header row does not fit a catalog sheet. Products need a SKU column (${headerNames(CATALOG_SHEET_MODULES.find((s) => s.name === 'products')!)}); sites a Code and a Name; bins a Site and a Code.`,
        });
      continue;
    }
    if (assigned.has(sheet.name)) {
      problem({ sheet: sheet.title, row: 1, column: '', message: `${where} holds ${sheet.title} a second time. Put all ${sheet.title.toLowerCase()} on one worksheet.` });
      continue;
    }
    assigned.set(sheet.name, table);
  }
  if (assigned.size === 0 && problemCount === 0) {
    problem({ sheet: '', row: 1, column: '', message: `The workbook has no catalog worksheet. Name the worksheets ${CATALOG_SHEET_MODULES.map((s) => s.title).join(', ')}.` });
  }

  const total = [...assigned.values()].reduce((n, t) => n + Math.max(0, t.rows.length - 1), 0);
  let done = 0;
  const summaries: CatalogSheetSummary[] = [];
  const changes: CatalogRowChange[] = [];
  const planned: CatalogPlan['sheets'] = [];
  for (const sheet of CATALOG_SHEET_MODULES) {
    const table = assigned.get(sheet.name);
    if (!table) continue;
    const header = table.rows[0]?.cells ?? [];
    const { index, ignored } = mapHeaders(sheet, header);
    const columnName = (field: string) => {
      const i = index.get(field);
      return i !== undefined ? header[i]! : (sheet.columns.find((c) => c.field === field)?.header ?? sheet.columns.find((c) => c.field === sheet.keyField)!.header);
    };
    const summary: CatalogSheetSummary = { sheet: sheet.name, title: sheet.title, rows: table.rows.length - 1, creates: 0, updates: 0, unchanged: 0, ignoredColumns: ignored };
    summaries.push(summary);
    const missing = sheet.columns.filter((c) => c.required && !index.has(c.field));
    for (const c of missing) {
      problem({ sheet: sheet.title, row: table.rows[0]?.row ?? 1, column: c.header, message: `The ${sheet.title} sheet has no ${c.header} column. Add a column headed ${c.header} (the columns are ${headerNames(sheet)}).` });
    }
    if (options.permissions && !options.permissions.includes(sheet.permission) && table.rows.length > 1) {
      problem({
        sheet: sheet.title,
        row: table.rows[0]!.row,
        column: '',
        message: `${needsPermission(`You may not create or change ${sheet.title.toLowerCase()}: that`, sheet.permission)} Or remove the ${sheet.title} sheet.`,
      });
    }
    if (missing.length > 0) {
      done += summary.rows;
      continue;
    }
    ctx.refs.set(sheet.name, new Map());
    const refs = ctx.refs.get(sheet.name)!;
    const plannedByKey = new Map<string, unknown>();
    ctx.planned.set(sheet.name, plannedByKey);
    const state = await ctx.run(sheet.load(ctx));
    const rows: CheckedRow<unknown>[] = [];
    const firstRow = new Map<string, number>();
    const fields = [...index.entries()];
    for (let r = 1; r < table.rows.length; r++) {
      const { row, cells: raw } = table.rows[r]!;
      // (a CSV's only: a worksheet's cells cannot shift, and a note beside the table is the user's own)
      const shifted = table.worksheet === null ? shiftedRowProblem(raw, header.length) : null;
      if (shifted) {
        problem({ sheet: sheet.title, row, column: 'row', message: shifted });
        done++;
        continue;
      }
      const cells = new Map<string, string>();
      for (const [field, i] of fields) cells.set(field, raw[i] ?? '');
      const checked = sheet.check({ row, cells }, state, (field, message) => problem({ sheet: sheet.title, row, column: columnName(field), message }), ctx);
      if (checked) {
        const earlier = firstRow.get(checked.key);
        if (earlier !== undefined) {
          const keyHeader = columnName(sheet.keyField);
          problem({ sheet: sheet.title, row, column: keyHeader, message: `${keyHeader} ${cells.get(sheet.keyField) ?? checked.key} is also on row ${earlier}. Each record may be on one row only; remove one of them.` });
        } else {
          firstRow.set(checked.key, row);
          refs.set(checked.key, checked.id);
          plannedByKey.set(checked.key, checked.planned);
          rows.push(checked);
        }
      }
      done++;
      if (done % CHUNK === 0) {
        options.progress?.(done, total);
        await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) throw new AppError('CANCELLED', 'The import was cancelled while checking the file; nothing was written.');
      }
    }
    const finishing = sheet.finish?.(state, rows, (row, field, message) => problem({ sheet: sheet.title, row, column: columnName(field), message }), ctx);
    if (finishing) await ctx.run(finishing);
    for (const r of rows) {
      if (r.action === 'create') summary.creates++;
      else if (r.action === 'update') summary.updates++;
      else summary.unchanged++;
      if (r.action !== 'unchanged' && changes.length < CATALOG_LIST_LIMIT) changes.push({ sheet: sheet.title, row: r.row, key: r.label, action: r.action });
    }
    planned.push({ sheet, state, rows });
  }
  options.progress?.(total, total);
  problems.sort((a, b) => sheetOrder(a.sheet) - sheetOrder(b.sheet) || a.row - b.row);
  return { preview: { locale: ctx.locale, sheets: summaries, problemCount, problems, changes, ignoredSheets }, sheets: planned };
}

const sheetOrder = (title: string) => CATALOG_SHEET_MODULES.findIndex((s) => s.title === title);
