import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditContent, nextAuditEntry } from '../../safety/audit-hash';
import type { AuditRow } from '../entities/safety.entities';

/** SQLite's NOCASE: ASCII letters folded, nothing else (as the master-data rules compare names). */
const nocase = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
/** The contract's longest group name (shared/contract/masterdata.schemas.ts). */
const NAME_MAX = 128;

interface GroupRow {
  id: number;
  code: string;
  name: string;
}

/**
 * A product group's name that is free: `name (CODE)`, then `name (CODE 2)`, … — the group's own code makes the new
 * name plain to the people who know the group, and the name is cut so the whole fits the contract's 128 characters.
 */
function freeName(g: GroupRow, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = ` (${g.code}${n > 1 ? ` ${n}` : ''})`;
    const candidate = `${g.name.slice(0, NAME_MAX - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(nocase(candidate))) return candidate;
  }
}

/**
 * Product group names are unique without case on SQLite too, as the master-data rules compare them (name = ? COLLATE
 * NOCASE; names arrive trimmed) and as PostgreSQL's UQ_product_groups_name_nocase (pg 0003) already holds them. Before,
 * only the rules' check in the saving transaction kept them apart, so a save that came between another's check and its
 * write (a catalog import checks its file first) could leave two groups with one name.
 *
 * A ledger that already holds such twins must still open, and no group is merged: the lowest id keeps the name, each
 * later one is renamed `name (CODE)` (its own code; a number after it if that is taken too) and the audit log records
 * the rename as a master-data change by `system`, with the reason, so the group's History shows what happened and why.
 */
export class ProductGroupNameUnique1732400004400 implements MigrationInterface {
  name = 'ProductGroupNameUnique1732400004400';

  async up(q: QueryRunner): Promise<void> {
    const groups = (await q.query('SELECT id, code, name FROM "product_groups" ORDER BY id')) as GroupRow[];
    const taken = new Set(groups.map((g) => nocase(g.name)));
    const keptBy = new Map<string, GroupRow>();
    const at = Date.now();
    for (const g of groups) {
      const key = nocase(g.name);
      const first = keptBy.get(key);
      if (!first) {
        keptBy.set(key, g);
        continue;
      }
      const name = freeName(g, taken);
      taken.add(nocase(name));
      await q.query('UPDATE "product_groups" SET "name" = ? WHERE "id" = ?', [name, g.id]);
      const reason = `Renamed when Stockbook was upgraded: product group ${first.code} is already called ${first.name}, and group names must be unique.`;
      await appendAudit(q, at, { record: 'product group', id: g.id, label: g.code, before: g, after: { ...g, name }, reason });
    }
    await q.query(`CREATE UNIQUE INDEX "UQ_product_groups_name_nocase" ON "product_groups" ("name" COLLATE NOCASE)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The renamed groups keep their new names: they are the names people have seen since.
    await q.query(`DROP INDEX "UQ_product_groups_name_nocase"`);
  }
}

/** One master-data-changed entry by `system`, chained after the log's head (as safety/audit.ts appends). */
async function appendAudit(q: QueryRunner, at: number, detail: Record<string, unknown>): Promise<void> {
  const [last] = (await q.query('SELECT id, hash FROM "audit_log" ORDER BY id DESC LIMIT 1')) as Pick<AuditRow, 'id' | 'hash'>[];
  const e = nextAuditEntry(last, auditContent({ userId: null, username: 'system' }, 'master-data-changed', detail, at));
  await q.query('INSERT INTO "audit_log" (id, at, user_id, username, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    e.id, e.at, e.user_id, e.username, e.action, e.detail, e.prev_hash, e.hash,
  ]);
}
