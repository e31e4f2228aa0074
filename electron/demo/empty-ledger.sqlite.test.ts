import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsersStore } from '../auth/users-store';
import { runCli } from '../cli/stockbook';
import { coreOps } from '../ledger/ledger.ops';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { SYSTEM_ACTOR, audit } from '../safety/audit';
import { setSetting } from '../safety/settings-store';
import { openLedgerSafely } from '../safety/startup-check';
import { isDemoLoading } from './demo-marker-store';
import { demoPartialPath } from './demo-file';
import { ledgerContent } from './empty-ledger-store';
import { generateDemo } from './generate-demo';
import { interruptedDemoLoad } from '../../test/fixtures/interrupted-demo';

/**
 * Demo data loads only into a new, empty ledger, and a killed demo load is discarded at the next start only
 * when the file holds nothing but the demo's rows (issue 11, point 16): a ledger someone has set up — sites,
 * a password — is never replaced or deleted.
 *
 * SQLite only: demo data loads only into a SQLite ledger file (PostgreSQL refuses it altogether: ledger.pg-ops.ts,
 * DEMO_NOT_ON_POSTGRES), the killed load is found by the file's start-up check, and ledgerContent names what a SQLite
 * file holds. Whether a ledger is new, on both stores: empty-ledger.test.ts.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-empty-ledger-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REFUSED = /^Demo data loads only into a new, empty ledger; this one already holds .+\. Start a new ledger file for the demo \(stockbook demo --db NEW\.db\)\.$/;

const setUps: [string, (l: SqliteLedger) => void][] = [
  ['a site besides External', (l) => void l.reference.addSite({ code: 'SHOP', name: 'Corner Shop', kind: 'shop' })],
  ['a user with a password', (l) => void new UsersStore(l.db).setSecret('admin', 'password', 'scrypt$not-a-real-hash')],
];

/** Everything a set-up or a demo load would touch, to show nothing changed. */
function snapshot(db: Database.Database): string {
  const rows = (sql: string) => db.prepare(sql).all();
  return JSON.stringify({
    sites: rows('SELECT * FROM sites ORDER BY id'),
    bins: rows('SELECT * FROM bins ORDER BY id'),
    users: rows('SELECT * FROM users ORDER BY id'),
    settings: rows("SELECT * FROM settings WHERE key != 'demo.loading' ORDER BY key"),
    audit: rows('SELECT id, action FROM audit_log ORDER BY id'),
    counts: rows('SELECT (SELECT COUNT(*) FROM products) AS p, (SELECT COUNT(*) FROM documents) AS d, (SELECT COUNT(*) FROM movements) AS m'),
  });
}
function fileSnapshot(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return snapshot(db);
  } finally {
    db.close();
  }
}

describe('demo data loads only into a new, empty ledger', () => {
  it('a new ledger holds nothing, sign-ins and backups included; each thing someone sets up is named', async () => {
    const cases: [string[], (l: SqliteLedger) => void][] = [
      [[], (l) => {
        audit(l.db, { userId: 2, username: 'admin' }, 'sign-in', { kind: 'open-access' });
        audit(l.db, SYSTEM_ACTOR, 'backup', { reason: 'daily' });
      }],
      [['bins'], (l) => void l.reference.addBin(1, 'DOOR')],
      [['product groups'], (l) => void l.reference.addGroup('WINE', 'Wine')],
      [['users with a password or PIN'], (l) => void new UsersStore(l.db).setSecret('admin', 'pin', 'scrypt$not-a-real-hash')],
      [['users', 'audit log entries'], (l) => {
        new UsersStore(l.db).create('clerk', 'Clerk', ['read:stock']);
        audit(l.db, SYSTEM_ACTOR, 'user-created', { username: 'clerk' });
      }],
      [['settings'], (l) => setSetting(l.db, 'backup.dailyAt', '18:00')],
    ];
    for (const [i, [held, setUp]] of cases.entries()) {
      const ledger = await SqliteLedger.open(join(dir, `content-${i}.db`));
      expect(ledgerContent(ledger.db)).toEqual([]);
      setUp(ledger);
      expect(ledgerContent(ledger.db)).toEqual(held);
      await ledger.close();
    }
  });

  it.each(setUps)('the app refuses it into a ledger with %s, and changes nothing', async (what, setUp) => {
    const ledger = await SqliteLedger.open(join(dir, `app-${what.replaceAll(' ', '-')}.db`));
    setUp(ledger);
    const before = snapshot(ledger.db);
    const ops = coreOps(createWorkerContext(ledger, () => undefined));
    expect(() => ops['demo.load']('job-1', { movements: 2_000 })).toThrow(REFUSED);
    await expect(generateDemo(ledger, { movements: 2_000 })).rejects.toThrow(REFUSED);
    expect(snapshot(ledger.db)).toBe(before);
    expect(isDemoLoading(ledger.db)).toBe(false);
    await ledger.close();
  });

  it.each(setUps)('stockbook demo refuses an existing ledger with %s and leaves the file as it was', async (what, setUp) => {
    const path = join(dir, `cli-${what.replaceAll(' ', '-')}.db`);
    const ledger = await SqliteLedger.open(path);
    setUp(ledger);
    await ledger.close();
    const before = fileSnapshot(path);
    const refusal = await runCli(['demo', '--db', path, '--movements', '2000']).then(() => null, (e: unknown) => (e instanceof Error ? e.message : String(e)));
    expect(refusal).toMatch(/ already holds .+; demo data loads only into a new, empty ledger\. Start a new ledger file for the demo \(stockbook demo --db NEW\.db\)\.$/);
    expect(refusal!.startsWith(`${path} already holds `)).toBe(true);
    expect(fileSnapshot(path)).toBe(before);
    expect(existsSync(demoPartialPath(path))).toBe(false);
  });

  it('a new ledger still takes demo data, in the app and from the CLI', async () => {
    const ledger = await SqliteLedger.open(join(dir, 'new-app.db'));
    await generateDemo(ledger, { movements: 2_000 });
    expect(ledger.queries.counts().movements).toBeGreaterThan(0);
    await ledger.close();
    const path = join(dir, 'new-cli.db');
    await (await SqliteLedger.open(path)).close(); // as `stockbook init` leaves it
    expect(await runCli(['demo', '--db', path, '--movements', '2000'])).toBe(0);
  });
});

describe('the next start after a killed demo load', () => {
  it.each(setUps)('keeps a ledger that also holds %s, with the mark cleared', async (what, setUp) => {
    const path = join(dir, `killed-${what.replaceAll(' ', '-')}.db`);
    // The load dies after its first chunk (as a crash would); meanwhile — or before, under older versions — someone set the ledger up.
    const ledger = await interruptedDemoLoad(path);
    setUp(ledger);
    await ledger.close();
    const before = fileSnapshot(path);

    const start = await openLedgerSafely(path);
    expect(start.notes.join('\n')).toMatch(/Loading demo data did not finish, but the ledger also holds .+, so it was kept as it is/);
    expect(start.ledger).toBeTruthy();
    expect(snapshot(start.ledger!.db)).toBe(before);
    expect(isDemoLoading(start.ledger!.db)).toBe(false);
    await start.ledger!.close();
  });
});
