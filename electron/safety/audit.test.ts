import { afterEach, beforeEach, expect, it } from 'vitest';
import { storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The audit log is hash-chained, on the configured store (SQLite and PostgreSQL): entries written by the contract's
 * operations (the fixture's master data, company settings), changed or removed around the app, found by ledger.verify.
 * SQLite's upgrade and its append-only triggers: audit.sqlite.test.ts.
 */
const open = storeForFile();
let s: StoreUnderTest;
beforeEach(async () => void (s = await open()));
// Closed without the fixture's closing verify: these tests break the audit chain on purpose.
afterEach(() => s.close());

const entries = () => s.rows<{ id: number; prev_hash: string; hash: string }>('SELECT id, prev_hash, hash FROM audit_log ORDER BY id');
const auditCheck = async () => (await s.ops['ledger.verify']()).checks.find((c) => c.name === 'audit-chain')!;

/** Around the app: the append-only triggers off, the log changed, the triggers back (the store's own SQL). */
async function tamper(sql: string): Promise<void> {
  if (s.store === 'postgres') return s.exec(`ALTER TABLE audit_log DISABLE TRIGGER USER; ${sql}; ALTER TABLE audit_log ENABLE TRIGGER USER`);
  const triggers = await s.rows<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'");
  await s.exec(`${triggers.map((t) => `DROP TRIGGER "${t.name}";`).join(' ')} ${sql}; ${triggers.map((t) => `${t.sql};`).join(' ')}`);
}

async function withSettings(): Promise<number[]> {
  for (const timeZone of ['UTC', 'Europe/London', 'Europe/Paris']) await s.call('company.update', { name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone, locale: 'en-GB', fyStartMonth: 4 });
  return (await entries()).map((r) => r.id);
}

it('each entry hashes its content with the previous hash; verify passes on the untouched log', async () => {
  await withSettings();
  const rows = await entries();
  expect(rows.length).toBeGreaterThan(10);
  expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => i + 1));
  expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  expect(await auditCheck()).toMatchObject({ ok: true, problems: [] });
});

it('an entry edited around the app is found', async () => {
  const id = (await withSettings())[3]!;
  await tamper(`UPDATE audit_log SET detail = '{"key":"k3","after":999}' WHERE id = ${id}`);
  expect(await auditCheck()).toMatchObject({ ok: false, problems: [`audit entry ${id}: content does not match its hash (altered)`] });
});

it('an entry removed from the middle is found', async () => {
  const id = (await withSettings())[2]!;
  await tamper(`DELETE FROM audit_log WHERE id = ${id}`);
  expect((await auditCheck()).problems).toEqual([`audit entries ${id}..${id} are missing`, `audit entry ${id + 1}: prev_hash does not match the previous entry's hash`]);
});
