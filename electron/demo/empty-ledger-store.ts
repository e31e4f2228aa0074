import type Database from 'better-sqlite3';
import { DEMO_GROUPS, DEMO_SITES } from './demo-catalog';

/**
 * Whether a ledger file is new and empty — the only kind demo data may load into, and the only kind the
 * next start may discard after a killed demo load (electron/safety/leftovers.ts). A new ledger holds the
 * External pseudo-site, the built-in "system" and "admin" users without a password or PIN, no settings,
 * and at most sign-in and backup entries in its audit log. Anything else was put there by someone.
 */

/** Audit actions that record what a user set up or changed (sign-ins, locks and backups do not). */
const CONTENT_ACTIONS = ['secret-changed', 'user-created', 'permissions-changed', 'setting-changed', 'restore-scheduled', 'restore-applied', 'master-data-changed'];
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

/**
 * What the file holds besides a new ledger's own rows, as words for a message (e.g. ["sites", "users with a
 * password or PIN"]); empty when the ledger is new and empty. With `besidesDemo`, the rows a demo load writes
 * (its documents, products, groups, sites and their bins, its loading mark) do not count. Tables the file
 * does not have yet (an older file, before its migrations) hold nothing.
 */
export function ledgerContent(db: Database.Database, options: { besidesDemo?: boolean } = {}): string[] {
  const demo = options.besidesDemo === true;
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const any = (table: string, where = '1') => tables.has(table) && Boolean(db.prepare(`SELECT 1 FROM "${table}" WHERE ${where} LIMIT 1`).get());
  const demoSites = demo ? list(DEMO_SITES.map((s) => s.code)) : "('')";
  const found: string[] = [];
  const check = (label: string, held: boolean) => {
    if (held) found.push(label);
  };

  if (!demo) {
    check('products', any('products'));
    check('stock movements', any('movements'));
  }
  check(demo ? 'other documents' : 'documents', any('documents', demo ? "idempotency_key IS NULL OR idempotency_key NOT LIKE 'demo-%'" : '1'));
  check('product groups', any('product_groups', demo ? `code NOT IN ${list(DEMO_GROUPS.map((g) => g.code))}` : '1'));
  check('sites', any('sites', `kind != 'external' AND code NOT IN ${demoSites}`));
  check('bins', any('bins', `site_id NOT IN (SELECT id FROM sites WHERE code IN ${demoSites})`));
  const secret = tables.has('users') && (db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).some((c) => c.name === 'pin_hash') ? 'password_hash IS NOT NULL OR pin_hash IS NOT NULL' : 'password_hash IS NOT NULL';
  check('users with a password or PIN', any('users', secret));
  check('users', any('users', `username NOT IN ${list(BUILT_IN_USERS)}`));
  check('settings', any('settings', `key != '${DEMO_MARK}'`));
  check('audit log entries', any('audit_log', `action IN ${list(CONTENT_ACTIONS)}`));
  for (const [table, label] of WORK_TABLES) check(label, any(table));
  return found;
}
