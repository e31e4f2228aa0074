import type Database from 'better-sqlite3';
import type { CatalogPreview, CatalogSheetName } from '../../shared/catalog';
import { AppError } from '../../shared/contract/errors';
import type { ImportFile } from '../operations/import-file';
import { audit } from '../safety/audit';
import { catalogContext } from './catalog-context';
import { readCatalogFile } from './catalog-file';
import { planCatalog, type CatalogPlan } from './catalog-plan';
import type { CatalogContext } from './catalog-sheet';
import { plural } from '../../shared/plural';

export interface CatalogFileInput extends ImportFile {
  fileName?: string | undefined;
  sheet?: CatalogSheetName | undefined;
  locale?: string | undefined;
}

type Progress = (p: { done: number; total: number; phase: string }) => void;

/** How many changed records the import's audit entry lists with their before and after. */
export const AUDIT_CHANGE_LIMIT = 1_000;

const fmt = (n: number) => n.toLocaleString('en-GB');

async function plan(ctx: CatalogContext, input: CatalogFileInput, permissions: readonly string[] | undefined, signal?: AbortSignal, progress?: Progress): Promise<CatalogPlan> {
  const raw = await readCatalogFile(input, ctx.locale);
  return planCatalog(ctx, raw, { sheet: input.sheet, permissions, signal, progress: (done, total) => progress?.({ done, total: total * 2, phase: 'checking' }) });
}

/** Checks a catalog file and says what importing it would do, writing nothing. */
export async function previewCatalog(db: Database.Database, input: CatalogFileInput, permissions?: readonly string[], now = Date.now()): Promise<CatalogPreview> {
  return (await plan(catalogContext(db, input.locale, now), input, permissions)).preview;
}

/**
 * Imports a catalog file: checks every row first (cancellable between chunks), then writes every create and update of
 * every sheet in ONE transaction with one audit entry, so the catalog changes all together or not at all.
 * Returns the message the job finishes with.
 */
export async function importCatalog(
  db: Database.Database,
  input: CatalogFileInput,
  user: { userId: number; permissions?: readonly string[] },
  signal: AbortSignal,
  progress: Progress,
  now = Date.now(),
): Promise<string> {
  const ctx = catalogContext(db, input.locale, now, user.userId);
  progress({ done: 0, total: 1, phase: 'reading' });
  const checked = await plan(ctx, input, user.permissions, signal, progress);
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
  db.transaction(() => {
    const changes: unknown[] = [];
    for (const { sheet, state, rows: checkedRows } of checked.sheets) {
      const changed = checkedRows.filter((r) => r.action !== 'unchanged');
      sheet.apply(state, changed, ctx);
      for (const r of changed) {
        if (changes.length >= AUDIT_CHANGE_LIMIT) break;
        changes.push({ sheet: sheet.name, key: r.label, action: r.action, ...(r.planned as object) });
      }
    }
    audit(
      db,
      { userId: user.userId, username: ctx.md.username(user.userId) },
      'master-data-changed',
      {
        record: 'catalog',
        label: input.fileName ?? 'catalog file',
        sheets: preview.sheets.map(({ sheet, rows: n, creates, updates, unchanged }) => ({ sheet, rows: n, creates, updates, unchanged })),
        changes,
        changesListed: changes.length,
      },
      now,
    );
  })();
  progress({ done: rows * 2, total: rows * 2, phase: 'done' });
  return `Imported ${input.fileName ?? 'the file'}: ${preview.sheets.map((s) => `${s.title.toLowerCase()} ${fmt(s.creates)} created, ${fmt(s.updates)} updated, ${fmt(s.unchanged)} unchanged`).join('; ')}.`;
}
