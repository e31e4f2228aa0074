import type Database from 'better-sqlite3';
import { companyLocale, fileNumberLocale, fileTimeZone } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { runNow, type Steps } from '../ledger/steps';
import { MasterStore } from '../masterdata/master-store';
import { sqliteMasterCalls } from '../masterdata/sqlite-master-store';
import { RecipeStore } from '../recipes/recipe-store';
import { SupplierStore } from '../suppliers/supplier-store';
import type { CatalogOpen } from './catalog-import';
import type { CatalogContext } from './catalog-sheet';
import { CatalogStore } from './catalog-store';

/** A fresh context for one preview, import or export on SQLite: every store answers at once on `db`; numbers in `locale`, else the company's; dates in the company's time zone. */
export function catalogContext(db: Database.Database, locale: string | undefined, now: number, userId = 0): CatalogContext {
  const company = new CompanyStore(db).settings();
  return {
    md: sqliteMasterCalls(new MasterStore(db)),
    store: new CatalogStore(db),
    suppliers: new SupplierStore(db),
    recipes: new RecipeStore(db),
    run: <T>(steps: Steps<T>) => Promise.resolve(runNow(steps)),
    locale: fileNumberLocale(locale, company),
    timeZone: fileTimeZone(company),
    dateLocale: companyLocale(company),
    now,
    userId,
    refs: new Map(),
    planned: new Map(),
  };
}

/** SQLite's CatalogOpen on one connection. */
export const sqliteCatalog =
  (db: Database.Database): CatalogOpen =>
  (locale, now, userId) =>
    catalogContext(db, locale, now, userId);
