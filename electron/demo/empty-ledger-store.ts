import type Database from 'better-sqlite3';
import { DEMO_GROUPS, DEMO_SITES } from './demo-catalog';

/**
 * Whether a ledger file is new and empty — the only kind demo data may load into, and the only kind the
 * next start may discard after a killed demo load (electron/safety/leftovers.ts). A new ledger holds the
 * External pseudo-site, the built-in "system" and "admin" users without a password or PIN, no settings,
 * and at most sign-in and backup entries in its audit log. Anything else was put there by someone.
 */

/** Audit actions that record what a user set up or changed (sign-ins, locks and backups do not). */
const CONTENT_ACTIONS = ['secret-changed', 'user-created', 'permissions-changed', 'user-disabled', 'user-enabled', 'setting-changed', 'restore-scheduled', 'restore-applied', 'master-data-changed'];
const BUILT_IN_USERS = ['system', 'admin'];
const DEMO_MARK = 'demo.loading';
/** Tables the demo never writes: any row in them is someone's work. */
const WORK_TABLES: [table: string, label: string][] = [
  ['count_sessions', 'stock counts'],
  ['adjustment_drafts', 'adjustment drafts'],
  ['import_files', 'imports'],
  ['operation_requests', 'operations'],
  ['finance_accounts', 'finance accounts'],
  ['posting_rules', 'posting rules'],
];

const list = (xs: readonly string[]) => `(${xs.map((x) => `'${x}'`).join(', ')})`;

/** One thing a ledger may hold: its words for a message, and where a row of it would be. */
export interface ContentCheck {
  label: string;
  table: string;
  /** A condition on the table's rows (standard SQL: both databases); every row counts when absent. */
  where?: string;
}

/**
 * What is looked for, in order: with `besidesDemo`, the rows a demo load writes (its documents, products, groups,
 * sites and their bins, its loading mark) do not count. `pinColumn`: the users table has pin_hash (an older file may not).
 */
export function contentChecks(options: { besidesDemo?: boolean } = {}, pinColumn = true): ContentCheck[] {
  const demo = options.besidesDemo === true;
  const demoSites = demo ? list(DEMO_SITES.map((s) => s.code)) : "('')";
  return [
    ...(demo
      ? []
      : [
          { label: 'products', table: 'products' },
          { label: 'stock movements', table: 'movements' },
        ]),
    { label: demo ? 'other documents' : 'documents', table: 'documents', ...(demo ? { where: "idempotency_key IS NULL OR idempotency_key NOT LIKE 'demo-%'" } : {}) },
    { label: 'product groups', table: 'product_groups', ...(demo ? { where: `code NOT IN ${list(DEMO_GROUPS.map((g) => g.code))}` } : {}) },
    { label: 'sites', table: 'sites', where: `kind != 'external' AND code NOT IN ${demoSites}` },
    { label: 'bins', table: 'bins', where: `site_id NOT IN (SELECT id FROM sites WHERE code IN ${demoSites})` },
    { label: 'users with a password or PIN', table: 'users', where: pinColumn ? 'password_hash IS NOT NULL OR pin_hash IS NOT NULL' : 'password_hash IS NOT NULL' },
    { label: 'users', table: 'users', where: `username NOT IN ${list(BUILT_IN_USERS)}` },
    { label: 'settings', table: 'settings', where: `key != '${DEMO_MARK}'` },
    { label: 'audit log entries', table: 'audit_log', where: `action IN ${list(CONTENT_ACTIONS)}` },
    ...WORK_TABLES.map(([table, label]) => ({ label, table })),
  ];
}

/** A statement that is true when the table holds a row the check counts. */
export const existsSql = (c: ContentCheck): string => `EXISTS (SELECT 1 FROM "${c.table}"${c.where ? ` WHERE ${c.where}` : ''})`;

/**
 * What the file holds besides a new ledger's own rows, as words for a message (e.g. ["sites", "users with a
 * password or PIN"]); empty when the ledger is new and empty (contentChecks). Tables the file does not have yet (an
 * older file, before its migrations) hold nothing.
 */
export function ledgerContent(db: Database.Database, options: { besidesDemo?: boolean } = {}): string[] {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const pinColumn = tables.has('users') && (db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).some((c) => c.name === 'pin_hash');
  return contentChecks(options, pinColumn)
    .filter((c) => tables.has(c.table) && (db.prepare(`SELECT ${existsSql(c)} AS held`).get() as { held: number }).held === 1)
    .map((c) => c.label);
}
