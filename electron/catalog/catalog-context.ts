import type Database from 'better-sqlite3';
import { defaultNumberLocale } from '../../shared/quantity';
import { MasterStore } from '../masterdata/master-store';
import type { CatalogContext } from './catalog-sheet';
import { CatalogStore } from './catalog-store';

/** A fresh context for one preview, import or export. */
export function catalogContext(db: Database.Database, locale: string | undefined, now: number, userId = 0): CatalogContext {
  return { md: new MasterStore(db), store: new CatalogStore(db), locale: locale ?? defaultNumberLocale(), now, userId, refs: new Map(), planned: new Map() };
}
