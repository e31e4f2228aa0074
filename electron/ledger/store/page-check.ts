import type Database from 'better-sqlite3';

/**
 * SQLite's own check of a file's pages: PRAGMA integrity_check (every page and index) or quick_check (no index contents),
 * at most `max` problems. Its lines as SQLite returns them: one "ok" for a sound file. Throws as SQLite does on a file
 * too damaged to read.
 */
export function pageCheck(db: Database.Database, check: 'integrity_check' | 'quick_check', max = 20): string[] {
  return (db.pragma(`${check}(${Math.trunc(max)})`) as Record<string, unknown>[]).map((r) => String(Object.values(r)[0]));
}
