import type { CatalogPreview, CatalogSheetName } from '../../shared/catalog';
import { AppError } from '../../shared/contract/errors';
import { untilAborted, value, type Steps } from '../ledger/steps';
import type { ImportFile } from '../operations/import-file';
import { cancelledWhileReading, readCatalogFile, type RawSheet } from './catalog-file';
import { planCatalog, type CatalogPlan } from './catalog-plan';
import type { CatalogContext } from './catalog-sheet';
import { plural } from '../../shared/plural';

export interface CatalogFileInput extends ImportFile {
  fileName?: string | undefined;
  sheet?: CatalogSheetName | undefined;
  locale?: string | undefined;
}

type Progress = (p: { done: number; total: number; phase: string }) => void;

/** A fresh context for one preview, import or export on one database: SQLite's catalogContext, PostgreSQL's pgCatalogContext. */
export type CatalogOpen = (locale: string | undefined, now: number, userId?: number) => CatalogContext;

/** How many changed records the import's audit entry lists with their before and after. */
export const AUDIT_CHANGE_LIMIT = 1_000;

const fmt = (n: number) => n.toLocaleString('en-GB');

/**
 * How an import reads its file into tables, in the number locale its context chose (`ctx.locale`): readCatalogFile on
 * the calling thread (PostgreSQL, a preview's job), or SQLite's import, whose file is read in a job thread so that the
 * writer never loads exceljs or parses a file (catalog.ops.ts).
 */
export type CatalogFileRead = (input: CatalogFileInput, locale: string, signal: AbortSignal) => Promise<RawSheet[]>;

async function plan(
  ctx: CatalogContext,
  input: CatalogFileInput,
  permissions: readonly string[] | undefined,
  signal?: AbortSignal,
  progress?: Progress,
  read: CatalogFileRead = readCatalogFile,
): Promise<CatalogPlan> {
  const raw = await read(input, ctx.locale, signal ?? new AbortController().signal);
  // a cancel that came while the file was read (in a job thread, or a CSV read here in one piece) stops the import here
  if (signal?.aborted) throw cancelledWhileReading();
  return planCatalog(ctx, raw, { sheet: input.sheet, permissions, signal, progress: (done, total) => progress?.({ done, total: total * 2, phase: 'checking' }) });
}

/** Checks a catalog file and says what importing it would do, writing nothing. */
export async function previewCatalog(open: CatalogOpen, input: CatalogFileInput, permissions?: readonly string[], now = Date.now()): Promise<CatalogPreview> {
  return (await plan(open(input.locale, now), input, permissions)).preview;
}

/**
 * Imports a catalog file: reads it (`read`: on SQLite in a job thread, see CatalogFileRead), checks every row against
 * the catalog as it is now (cancellable between chunks), then writes every create and update of every sheet in ONE
 * transaction with one audit entry, so the catalog changes all together or not at all (a cancel while it writes, on
 * PostgreSQL, stops it between two statements and the transaction rolls back).
 * Returns the message the job finishes with. On PostgreSQL the caller runs all of it in one transaction holding the
 * import lock (catalog.pg-ops.ts), so a second server importing the same file checks it against the first's import.
 */
export async function importCatalog(
  open: CatalogOpen,
  input: CatalogFileInput,
  user: { userId: number; permissions?: readonly string[] },
  signal: AbortSignal,
  progress: Progress,
  now = Date.now(),
  read: CatalogFileRead = readCatalogFile,
): Promise<string> {
  progress({ done: 0, total: 1, phase: 'reading' });
  // The file is read once: PostgreSQL plans again under each round of locks (planLocked) on the same tables, never
  // parsing the workbook again while it holds products' row locks.
  let tables: { locale: string; read: Promise<RawSheet[]> } | null = null;
  const readOnce: CatalogFileRead = (file, locale, s) => (tables?.locale === locale ? tables : (tables = { locale, read: read(file, locale, s) })).read;
  const { ctx, checked } = await planLocked(() => open(input.locale, now, user.userId), (c) => plan(c, input, user.permissions, signal, progress, readOnce));
  const { preview } = checked;
  if (preview.problemCount > 0) {
    const first = preview.problems[0]!;
    throw new AppError(
      'VALIDATION',
      `${plural(preview.problemCount, 'problem')} in the file (first: ${first.sheet ? `${first.sheet} ` : ''}row ${first.row}${first.column ? `, ${first.column}` : ''}: ${first.message}); nothing was imported. Preview the file, fix the rows and import again.`,
      { problems: preview.problems.slice(0, 50) },
    );
  }
  if (signal.aborted) throw new AppError('CANCELLED', 'The import was cancelled before writing; nothing was written.');
  const rows = preview.sheets.reduce((n, s) => n + s.rows, 0);
  if (preview.sheets.every((s) => s.creates + s.updates === 0)) {
    progress({ done: rows * 2, total: rows * 2, phase: 'done' });
    return `Nothing to import: all ${plural(rows, 'row')} of ${input.fileName ?? 'the file'} match the catalog already.`;
  }
  progress({ done: rows, total: rows * 2, phase: 'writing' });
  const cancelled = () => new AppError('CANCELLED', 'The import was cancelled while writing; nothing was written.');
  try {
    await ctx.store.write(untilAborted(writeCatalog(ctx, checked, input.fileName ?? 'catalog file', user.userId), signal, cancelled));
  } catch (e) {
    // A rule or key that refused a row while writing (a record another save took meanwhile; the preview tried the
    // file's recipes with its products already): its own words, and that the transaction left the catalog as it was.
    if (e instanceof AppError && e.code !== 'CANCELLED') throw new AppError(e.code, `${e.message} Nothing was imported: fix the file, preview it and import it again.`, e.details);
    throw e;
  }
  progress({ done: rows * 2, total: rows * 2, phase: 'done' });
  return `Imported ${input.fileName ?? 'the file'}: ${preview.sheets.map((s) => `${s.title.toLowerCase()} ${fmt(s.creates)} created, ${fmt(s.updates)} updated, ${fmt(s.unchanged)} unchanged`).join('; ')}.`;
}

/**
 * Plans the import; where the database has other writers (PostgreSQL), takes what its write must hold (the products it
 * changes FOR UPDATE, its barcode keys: the single save's locks) and plans again on what is current under them, until
 * the plan needs nothing more. A posting or a product form that came in between is then seen by the same rules.
 * Every round takes ALL the locks wanted so far afresh, in one order (lockForWrite gives up the earlier round's first):
 * a product the new plan adds with a lower id than one held is never waited for while holding that one, so an import
 * and a posting or a save of the same products wait for each other in turn, never in a cycle.
 */
async function planLocked(open: () => CatalogContext, check: (ctx: CatalogContext) => Promise<CatalogPlan>): Promise<{ ctx: CatalogContext; checked: CatalogPlan }> {
  let ctx = open();
  let checked = await check(ctx);
  const lock = ctx.lockForWrite;
  if (!lock) return { ctx, checked };
  const held = { products: new Set<number>(), barcodes: new Set<string>() };
  for (;;) {
    const before = held.products.size + held.barcodes.size;
    for (const { sheet, rows } of checked.sheets) {
      const locks = sheet.writeLocks?.(rows);
      for (const id of locks?.products ?? []) held.products.add(id);
      for (const k of locks?.barcodes ?? []) held.barcodes.add(k);
    }
    if (held.products.size + held.barcodes.size === before) return { ctx, checked };
    await lock({ products: [...held.products], barcodes: [...held.barcodes] });
    ctx = open();
    checked = await check(ctx);
  }
}

/** Every sheet's creates and updates, then the import's one audit entry (the first AUDIT_CHANGE_LIMIT changes with before and after). */
function* writeCatalog(ctx: CatalogContext, checked: CatalogPlan, label: string, userId: number): Steps<void> {
  const changes: unknown[] = [];
  for (const { sheet, state, rows: checkedRows } of checked.sheets) {
    const changed = checkedRows.filter((r) => r.action !== 'unchanged');
    yield* sheet.apply(state, changed, ctx);
    for (const r of changed) {
      if (changes.length >= AUDIT_CHANGE_LIMIT) break;
      changes.push({ sheet: sheet.name, key: r.label, action: r.action, ...(r.planned as object) });
    }
  }
  const username = yield* value(ctx.md.username(userId));
  const sheets = checked.preview.sheets.map(({ sheet, rows: n, creates, updates, unchanged }) => ({ sheet, rows: n, creates, updates, unchanged }));
  yield* value(ctx.md.audit({ userId, username }, 'master-data-changed', { record: 'catalog', label, sheets, changes, changesListed: changes.length }, ctx.now));
}
