import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStockLines } from '../../../test/fixtures/count-stock';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { LedgerClient } from '../ledger-client';
import type { LedgerOp } from '../ledger-protocol';
import { hashMovement, MOVEMENT_COLUMNS, type MovementRow } from '../store/movement-hash';
import { migratePg } from './pg-data-source';
import { notOnPostgres } from './pg-ops';
import { openPool, type PgConnection } from './pg-types';
import { startTestCluster, type TestCluster } from './test-cluster';
import { runPgVerifyCommand } from '../../cli/pg-verify-command';
import { recordPgAudit } from '../../safety/pg-audit-store';
import { SYSTEM_ACTOR } from '../../safety/audit';
import { LISTEN_APPLICATION_NAME } from './pg-change-feed';

/**
 * The PostgreSQL ledger host (pg-ledger.worker.ts through LedgerClient.startPostgres): it answers the operations the
 * capabilities provide, refuses the others as notOnPostgres says, survives PostgreSQL's errors and its server going
 * away, and gives a database that is not migrated or lost its triggers a refusal or safe mode.
 */
let cluster: TestCluster;
let f: PgFixture;
let client: LedgerClient;
let fixtureOpen = true;
const events: { event: string; payload: unknown }[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
  await f.store.post({ idempotencyKey: 'host-receipt', type: 'receipt', lines: countStockLines(f.ids) }, f.ids.admin);
  client = await LedgerClient.startPostgres(f.connection);
  client.onEvent((event, payload) => events.push({ event, payload }));
}, 120_000);
afterAll(async () => {
  await client?.close();
  if (fixtureOpen) await f?.close();
  cluster?.stop();
});

const sql = async (connection: PgConnection, text: string) => {
  const pool = openPool(connection, 1);
  try {
    await pool.query(text);
  } finally {
    await pool.end();
  }
};
/** A fresh migrated database, changed by `change`, opened by the host for `check`. */
const onMigratedLedger = async (name: string, change: string, check: (c: LedgerClient) => Promise<void>) => {
  const connection = cluster.createDatabase(`${name}_${process.pid}`);
  await migratePg(connection);
  await sql(connection, change);
  const opened = await LedgerClient.startPostgres(connection);
  try {
    await check(opened);
  } finally {
    await opened.close();
  }
};
const urlOf = (c: PgConnection) => `postgres://${c.user}@${c.host}:${c.port}/${c.database}`;
/** What `host` says of safe mode once it says something, or null after 10 s. */
const safeModeSoon = async (host: LedgerClient) => {
  let info = await host.call('safetyStatus');
  for (let waited = 0; info === null && waited < 10_000; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
    info = await host.call('safetyStatus');
  }
  return info;
};
/** Whether `host` left safe mode within 10 s. */
const safeModeEnded = async (host: LedgerClient) => {
  for (let waited = 0; (await host.call('safetyStatus')) !== null && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  return (await host.call('safetyStatus')) === null;
};
const eventually = async (until: () => boolean) => {
  while (!until()) await new Promise((r) => setTimeout(r, 20));
};

describe('the PostgreSQL ledger host answers the SQLite worker\'s protocol', () => {
  it('answers the core operations from the database: counts, sites, current stock, the user, verify', { timeout: 60_000 }, async () => {
    expect(await client.call('counts')).toEqual({ products: 5, movements: 9, sites: 2 });
    expect((await client.call('sites.list')).map((s) => [s.code, s.kind === 'external', s.allowNegative])).toEqual([
      ['BAR', false, false],
      ['WH1', false, false],
      [expect.any(String), true, expect.any(Boolean)],
    ]);
    const page = await client.call('stock.current', { status: 'all', sort: 'sku', direction: 'asc', limit: 50, offset: 0 });
    expect(page.rows.find((r) => r.sku === 'RICE-1KG' && r.siteCode === 'WH1')?.onHand).toBe(14_000);
    expect(await client.call('user', 'admin')).toMatchObject({ id: f.ids.admin, username: 'admin', permissions: expect.arrayContaining(['read:stock']) });
    await expect(client.call('user', 'nobody')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'There is no active user "nobody".' });
    const report = await client.call('ledger.verify');
    expect(report).toMatchObject({ ok: true, movements: 9, head: { seq: 9, qtySum: expect.any(Number) }, mode: { kind: 'full' } });
    expect(await client.call('safetyStatus')).toBeNull();
  });

  it('refuses demo data and the backups from the app, saying what to do instead', async () => {
    await expect(client.call('demo.load', 'demo-1', { movements: 1_000 })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('stockbook demo --db NEW.db') });
    await expect(client.call('backups.status')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('pg_dump') });
  });

  it('refuses an operation no capability provides with the not-on-PostgreSQL message, and goes on answering', async () => {
    const call = client.call.bind(client) as (op: LedgerOp) => Promise<unknown>;
    await expect(call('noSuchOperation' as LedgerOp)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: notOnPostgres('noSuchOperation').message });
    expect((await client.call('counts')).movements).toBe(9);
  });

  it('runs the full check as a background job that reports its end', { timeout: 60_000 }, async () => {
    expect(await client.call('safetyStartFullCheck')).toBe(true);
    expect(await client.call('safetyStartFullCheck')).toBe(false);
    await eventually(() => events.some((e) => e.event === 'job.finished'));
    expect(events.find((e) => e.event === 'job.finished')?.payload).toMatchObject({ kind: 'ledger-check', ok: true, message: expect.stringContaining('9 movements') });
  });

  it('runs calls at once: a read waiting on a lock does not hold up the next call', { timeout: 60_000 }, async () => {
    const locker = openPool(f.connection, 1);
    const c = await locker.connect();
    try {
      await c.query('BEGIN');
      await c.query('LOCK TABLE sites IN ACCESS EXCLUSIVE MODE');
      let sitesAnswered = false;
      const sites = client.call('sites.list').then((r) => ((sitesAnswered = true), r));
      // Asked after the blocked read, answered while it still waits for the lock (the SQLite writer would queue it behind).
      expect(await client.call('user', 'admin')).toMatchObject({ username: 'admin' });
      expect(sitesAnswered).toBe(false);
      await c.query('COMMIT');
      expect(await sites).toHaveLength(3);
    } finally {
      c.release();
      await locker.end();
    }
  });

  it('answers a PostgreSQL error in the user\'s words and keeps serving', { timeout: 60_000 }, async () => {
    await sql(f.connection, 'ALTER TABLE sites RENAME TO sites_away');
    try {
      await expect(client.call('sites.list')).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^Stockbook hit an unexpected error \(relation "sites" does not exist\)/) });
    } finally {
      await sql(f.connection, 'ALTER TABLE sites_away RENAME TO sites');
    }
    expect(await client.call('sites.list')).toHaveLength(3);
  });
});

describe('the full check on PostgreSQL', () => {
  /** A fresh ledger with a receipt of each entry of `qtys` (a quantity: one movement; a list: a movement each), changed by `change`, opened by a host for `check`. */
  const onPostedLedger = async (qtys: (number | number[])[], change: (g: PgFixture) => Promise<void>, check: (c: LedgerClient, g: PgFixture, heard: { event: string; payload: unknown }[]) => Promise<void>) => {
    const g = await openPgFixture(cluster);
    try {
      for (const [i, qty] of qtys.entries()) {
        const lines = (Array.isArray(qty) ? qty : [qty]).map((q) => ({ productId: g.ids.bulk, siteId: g.ids.wh, type: 'inbound' as const, qty: q }));
        await g.store.post({ idempotencyKey: `check-${i}`, type: 'receipt', lines }, g.ids.admin);
      }
      await change(g);
      const opened = await LedgerClient.startPostgres(g.connection);
      const heard: { event: string; payload: unknown }[] = [];
      opened.onEvent((event, payload) => heard.push({ event, payload }));
      try {
        await check(opened, g, heard);
      } finally {
        await opened.close();
      }
    } finally {
      await g.close();
    }
  };
  const checkFinished = async (c: LedgerClient, heard: { event: string; payload: unknown }[]) => {
    expect(await c.call('safetyStartFullCheck')).toBe(true);
    await eventually(() => heard.some((e) => e.event === 'job.finished'));
    return heard.find((e) => e.event === 'job.finished')!.payload;
  };

  it('finds a movement whose quantity was changed behind the trigger\'s back and switches the host to safe mode, saying what is wrong and what to do', { timeout: 120_000 }, async () => {
    const tamper = async (g: PgFixture) => {
      // As a superuser could: the trigger off for one UPDATE and back on, of a movement older than the newest 1,000 the
      // start-up check reads, so the start sees nothing amiss and only the full check can.
      await sql(g.connection, 'ALTER TABLE movements DISABLE TRIGGER movements_no_update; UPDATE movements SET qty = 501 WHERE seq = 1; ALTER TABLE movements ENABLE TRIGGER movements_no_update');
    };
    await onPostedLedger([Array.from({ length: 1_000 }, () => 1), 2_000], tamper, async (host, g, heard) => {
      expect(await host.call('safetyStatus')).toBeNull();
      expect(await host.call('counts')).toMatchObject({ movements: 1_001 });
      expect(await checkFinished(host, heard)).toMatchObject({ kind: 'ledger-check', ok: false, message: expect.stringContaining(`The full ledger check found a problem (product ${g.ids.bulk} site ${g.ids.wh} bin - batch -: stock level 3000, movements sum to 3500)`) });
      const info = await host.call('safetyStatus');
      expect(info).toMatchObject({
        reason: 'invariants',
        message: expect.stringMatching(/^The full ledger check found a problem \(product \d+ site \d+ bin - batch -: stock level 3000, movements sum to 3500\)\. Stockbook stopped working on this PostgreSQL ledger \(safe mode\): have the database administrator restore the last good pg_dump or point-in-time backup, run stockbook verify --database \S+ --clear-safe-mode \(it clears the safe mode only when every check passes\): the servers that went into safe mode while running leave it once their own start-up checks pass; a server that started in safe mode, or whose finding could not be recorded, must be started again\.$/),
        problems: expect.arrayContaining(['hash-chain: movement 1: its hash does not match its content (it was changed)', `stock-levels: product ${g.ids.bulk} site ${g.ids.wh} bin - batch -: stock level 3000, movements sum to 3500`]),
      });
      await expect(host.call('counts')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`Stockbook is in safe mode: nothing can be done on this ledger until it is put right. ${info!.message}`) });
      // A failed check anchors nothing.
      expect((await g.pool.query("SELECT COUNT(*)::int AS n FROM chain_anchors WHERE source = 'check'")).rows[0]).toEqual({ n: 0 });
    });
  });

  it("stops every server on the database: one server's failed full check puts the other, running beside it, in safe mode too, saying why", { timeout: 120_000 }, async () => {
    const tamper = (g: PgFixture) => sql(g.connection, 'ALTER TABLE movements DISABLE TRIGGER movements_no_update; UPDATE movements SET qty = 501 WHERE seq = 1; ALTER TABLE movements ENABLE TRIGGER movements_no_update');
    await onPostedLedger([Array.from({ length: 1_000 }, () => 1), 2_000], tamper, async (host, g, heard) => {
      const other = await LedgerClient.startPostgres(g.connection);
      try {
        expect(await other.call('counts')).toMatchObject({ movements: 1_001 });
        // Anyone who can connect may send a notification: one naming no safe-mode entry stops nobody.
        await g.pool.query(`SELECT pg_notify('stockbook_safe_mode', '{"server":"forged","audit":1}'), pg_notify('stockbook_safe_mode', '{"server":"forged","audit":999}')`);
        await new Promise((r) => setTimeout(r, 300));
        expect(await other.call('safetyStatus')).toBeNull();
        expect(await checkFinished(host, heard)).toMatchObject({ kind: 'ledger-check', ok: false });
        const found = (await host.call('safetyStatus'))!;
        let info = await other.call('safetyStatus');
        for (let waited = 0; info === null && waited < 10_000; waited += 20) {
          await new Promise((r) => setTimeout(r, 20));
          info = await other.call('safetyStatus');
        }
        expect(info).toEqual({ reason: 'invariants', message: `Another Stockbook server on this database found the ledger damaged, so this one stopped working on it too. ${found.message}`, problems: found.problems });
        await expect(other.call('operations.receive', { idempotencyKey: 'after-damage', kind: 'inbound', siteId: g.ids.wh, dutyPaid: false, lines: [{ productId: g.ids.bulk, qty: 1, unitCost: 1 }] }, { userId: g.ids.admin, username: 'admin', permissions: [] })).rejects.toMatchObject({
          code: 'UNAVAILABLE',
          message: expect.stringContaining('Stockbook is in safe mode'),
        });
        // Nothing was posted through the other server once it heard; the finding is in the audit log.
        expect((await g.pool.query('SELECT COUNT(*)::int AS n FROM movements')).rows[0]).toEqual({ n: 1_001 });
        expect((await g.pool.query("SELECT username, action FROM audit_log WHERE action = 'safe-mode-entered'")).rows).toEqual([{ username: 'system', action: 'safe-mode-entered' }]);
      } finally {
        await other.close();
      }
    });
  });

  it("stops the servers already running when a server starting finds damage in the newest movements: the start-up check tells them as the full check does", { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000, 2_000], async () => undefined, async (running, g) => {
      expect(await running.call('safetyStatus')).toBeNull();
      await sql(g.connection, 'ALTER TABLE movements DISABLE TRIGGER movements_no_update; UPDATE movements SET qty = 1500 WHERE seq = 2; ALTER TABLE movements ENABLE TRIGGER movements_no_update');
      const starting = await LedgerClient.startPostgres(g.connection);
      try {
        const found = (await starting.call('safetyStatus'))!;
        expect(found).toMatchObject({ reason: 'invariants', problems: expect.arrayContaining(['movement 2: content does not match its hash (altered)']) });
        let info = await running.call('safetyStatus');
        for (let waited = 0; info === null && waited < 10_000; waited += 20) {
          await new Promise((r) => setTimeout(r, 20));
          info = await running.call('safetyStatus');
        }
        expect(info).toEqual({ reason: 'invariants', message: `Another Stockbook server on this database found the ledger damaged, so this one stopped working on it too. ${found.message}`, problems: found.problems });
      } finally {
        await starting.close();
      }
    });
  });

  it('believes only news: a server restarted again and again on a damaged ledger records it once, and an old finding named again after the fix stops nobody', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (running, g) => {
      const entries = async () => (await g.pool.query<{ id: number; detail: string }>("SELECT id, detail FROM audit_log WHERE action = 'safe-mode-entered' ORDER BY id")).rows;
      await sql(g.connection, 'ALTER TABLE movements DISABLE TRIGGER movements_no_delete');
      for (let start = 0; start < 2; start++) {
        const damaged = await LedgerClient.startPostgres(g.connection);
        expect(await damaged.call('safetyStatus')).toMatchObject({ reason: 'integrity' });
        await damaged.close();
      }
      expect(await entries()).toHaveLength(1);
      const [entry] = await entries();
      let info = await running.call('safetyStatus');
      for (let waited = 0; info === null && waited < 10_000; waited += 20) {
        await new Promise((r) => setTimeout(r, 20));
        info = await running.call('safetyStatus');
      }
      expect(info).toMatchObject({ reason: 'integrity' });
      // Put right in place. The finding stands until verify clears it: a server started now starts in safe mode.
      await sql(g.connection, 'ALTER TABLE movements ENABLE TRIGGER movements_no_delete');
      const before = await LedgerClient.startPostgres(g.connection);
      try {
        expect(await before.call('safetyStatus')).toMatchObject({ reason: 'integrity', message: expect.stringMatching(new RegExp(`^A Stockbook server found this ledger damaged on \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(audit entry ${entry!.id}\\) and stopped working on it; that safe mode stands for every server until it is cleared\\. The PostgreSQL ledger .* Once the ledger is restored or put right, run stockbook verify --database \\S+ --clear-safe-mode \\(it clears the safe mode only when every check passes\\): the servers that went into safe mode while running leave it once their own start-up checks pass; a server that started in safe mode, or whose finding could not be recorded, must be started again\\.$`)) });
      } finally {
        await before.close();
      }
      expect(await entries()).toHaveLength(1);
      const said: string[] = [];
      expect(await runPgVerifyCommand(urlOf(g.connection), { json: false, clearSafeMode: true }, (l) => said.push(l))).toBe(0);
      expect(said.at(-1)).toMatch(new RegExp(`^The safe mode a Stockbook server recorded on .* \\(audit entry ${entry!.id}\\) is cleared \\(audit entry \\d+\\): the Stockbook servers that went into safe mode while running leave it now, once their own start-up checks pass \\(no restart needed\\); start again any that started in safe mode, whose finding could not be recorded, or that stopped\\.$`));
      // A server started since goes on, and hears the old finding named again without stopping.
      const later = await LedgerClient.startPostgres(g.connection);
      try {
        expect(await later.call('safetyStatus')).toBeNull();
        const server = (JSON.parse(entry!.detail) as { server: string }).server;
        await g.pool.query('SELECT pg_notify($1, $2)', ['stockbook_safe_mode', JSON.stringify({ server, audit: entry!.id })]);
        await new Promise((r) => setTimeout(r, 300));
        expect(await later.call('safetyStatus')).toBeNull();
        expect(await later.call('counts')).toMatchObject({ movements: 1 });
      } finally {
        await later.close();
      }
    });
  });

  /** A safe-mode entry as a server writes it, whose notice never went out (its NOTIFY failed, or nobody was listening). */
  const unannounced = (g: PgFixture) =>
    recordPgAudit(g.pool, SYSTEM_ACTOR, 'safe-mode-entered', { server: 'elsewhere', reason: 'invariants', message: 'The full ledger check found a problem (elsewhere).', problems: ['hash-chain: movement 1'] }, Date.now());
  const stoppedToo = { reason: 'invariants', message: 'Another Stockbook server on this database found the ledger damaged, so this one stopped working on it too. The full ledger check found a problem (elsewhere).', problems: ['hash-chain: movement 1'] };

  it('a server that missed the notice finds the safe mode when its listening connection comes back', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const missed = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 3_600_000 });
      try {
        await unannounced(g);
        await new Promise((r) => setTimeout(r, 300));
        expect(await missed.call('safetyStatus')).toBeNull();
        await g.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1`, [`${LISTEN_APPLICATION_NAME} %`]);
        expect(await safeModeSoon(missed)).toEqual(stoppedToo);
      } finally {
        await missed.close();
      }
    });
  });

  it('a running server looks for a safe mode recorded without a notice, and stops on it at its next look', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const polling = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
      try {
        await new Promise((r) => setTimeout(r, 300));
        expect(await polling.call('safetyStatus')).toBeNull();
        await unannounced(g);
        expect(await safeModeSoon(polling)).toEqual(stoppedToo);
      } finally {
        await polling.close();
      }
    });
  });

  it('verify --clear-safe-mode clears nothing while the ledger fails its checks: the servers stay stopped', { timeout: 120_000 }, async () => {
    const tamper = (g: PgFixture) => sql(g.connection, 'ALTER TABLE movements DISABLE TRIGGER movements_no_update; UPDATE movements SET qty = 501 WHERE seq = 1; ALTER TABLE movements ENABLE TRIGGER movements_no_update');
    await onPostedLedger([Array.from({ length: 1_000 }, () => 1), 2_000], tamper, async (host, g, heard) => {
      expect(await checkFinished(host, heard)).toMatchObject({ kind: 'ledger-check', ok: false });
      // The host records its finding just after the check's end.
      const recorded = async () => (await g.pool.query("SELECT COUNT(*)::int AS n FROM audit_log WHERE action = 'safe-mode-entered'")).rows[0].n as number;
      for (let waited = 0; (await recorded()) === 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      const said: string[] = [];
      expect(await runPgVerifyCommand(urlOf(g.connection), { json: false, clearSafeMode: true }, (l) => said.push(l))).toBe(1);
      expect(said.at(-1)).toMatch(/^The safe mode a Stockbook server recorded on .* \(audit entry \d+\) stands: the servers stay stopped until the ledger is restored and this check passes\.$/);
      expect((await g.pool.query("SELECT COUNT(*)::int AS n FROM audit_log WHERE action = 'safe-mode-cleared'")).rows[0]).toEqual({ n: 0 });
      // Its start-up check alone would pass (the damage is older than the newest 1,000 movements): the standing safe mode stops it.
      const starting = await LedgerClient.startPostgres(g.connection);
      try {
        expect(await starting.call('safetyStatus')).toMatchObject({ reason: 'invariants', message: expect.stringContaining('that safe mode stands for every server until it is cleared. The full ledger check found a problem') });
      } finally {
        await starting.close();
      }
      // Without the flag verify says what stands; --json gives it too.
      const json: string[] = [];
      expect(await runPgVerifyCommand(urlOf(g.connection), { json: true }, (l) => json.push(l))).toBe(1);
      expect(JSON.parse(json.join('\n'))).toMatchObject({ ok: false, safeMode: { standing: { audit: expect.any(Number) }, cleared: false } });
    });
  });

  /** A receipt of one unit through `host`, as a clerk's would be. */
  const receiveOne = (host: LedgerClient, g: PgFixture, key: string) =>
    host.call('operations.receive', { idempotencyKey: key, kind: 'inbound', siteId: g.ids.wh, dutyPaid: false, lines: [{ productId: g.ids.bulk, qty: 1, unitCost: 1 }] }, { userId: g.ids.admin, username: 'admin', permissions: [] });
  const refused = { code: 'UNAVAILABLE', message: expect.stringContaining('Stockbook is in safe mode') };
  /** A clear as verify writes it, whose notice never went out (its NOTIFY failed, or this server was not listening). */
  const clearedWithoutNotice = (g: PgFixture, clears: number) =>
    recordPgAudit(g.pool, { userId: null, username: 'stockbook verify' }, 'safe-mode-cleared', { clears, seq: 0, hash: '', by: 'test' }, Date.now());
  const movements = async (g: PgFixture) => (await g.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM movements')).rows[0]!.n;

  it("leaves safe mode by itself once a passing verify --clear-safe-mode clears the finding it made while running, on verify's notice: writes refused before, accepted after", { timeout: 120_000 }, async () => {
    const tamper = (g: PgFixture) => sql(g.connection, 'ALTER TABLE movements DISABLE TRIGGER movements_no_update; UPDATE movements SET qty = 501 WHERE seq = 1; ALTER TABLE movements ENABLE TRIGGER movements_no_update');
    await onPostedLedger([Array.from({ length: 1_000 }, () => 1), 2_000], tamper, async (_other, g) => {
      // Its looks are an hour apart: only the notice can bring the clear in time.
      const own = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 3_600_000 });
      const heard: { event: string; payload: unknown }[] = [];
      own.onEvent((event, payload) => heard.push({ event, payload }));
      try {
        expect(await checkFinished(own, heard)).toMatchObject({ kind: 'ledger-check', ok: false });
        const recorded = async () => (await g.pool.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM audit_log WHERE action = 'safe-mode-entered'")).rows[0]!.n;
        for (let waited = 0; (await recorded()) === 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        await expect(receiveOne(own, g, 'in-safe-mode')).rejects.toMatchObject(refused);
        // The movement put back as it was: the whole ledger passes again, and verify clears the finding.
        await sql(g.connection, 'ALTER TABLE movements DISABLE TRIGGER movements_no_update; UPDATE movements SET qty = 1 WHERE seq = 1; ALTER TABLE movements ENABLE TRIGGER movements_no_update');
        const said: string[] = [];
        expect(await runPgVerifyCommand(urlOf(g.connection), { json: false, clearSafeMode: true }, (l) => said.push(l))).toBe(0);
        expect(said.at(-1)).toMatch(/is cleared \(audit entry \d+\): the Stockbook servers that went into safe mode while running leave it now, once their own start-up checks pass \(no restart needed\)/);
        expect(await safeModeEnded(own)).toBe(true);
        await receiveOne(own, g, 'after-clear');
        expect(await movements(g)).toBe(1_002);
        // Having left, it checks the whole ledger again in the background, so damage is looked for anew.
        const checks = () => heard.filter((e) => e.event === 'job.finished');
        for (let waited = 0; checks().length < 2 && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        expect(checks()).toHaveLength(2);
        expect(checks()[1]!.payload).toMatchObject({ kind: 'ledger-check', ok: true });
      } finally {
        await own.close();
      }
    });
  });

  it('leaves safe mode at its next look when the clear brought no notice; a server that started in safe mode stays in it until started again', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const polling = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
      try {
        const entry = await unannounced(g);
        expect(await safeModeSoon(polling)).toEqual(stoppedToo);
        await expect(receiveOne(polling, g, 'in-safe-mode')).rejects.toMatchObject(refused);
        const startedSafe = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
        try {
          expect(await startedSafe.call('safetyStatus')).toMatchObject({ reason: 'invariants' });
          await clearedWithoutNotice(g, entry);
          expect(await safeModeEnded(polling)).toBe(true);
          await receiveOne(polling, g, 'after-clear');
          expect(await movements(g)).toBe(2);
          // Its app was composed for safe mode (no sign-in): its looks leave it as it is.
          await new Promise((r) => setTimeout(r, 300));
          expect(await startedSafe.call('safetyStatus')).toMatchObject({ reason: 'invariants' });
        } finally {
          await startedSafe.close();
        }
      } finally {
        await polling.close();
      }
    });
  });

  it('a clear of an older finding does not end a newer one: the server stays in safe mode until the newer one is cleared too', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const polling = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
      try {
        const older = await unannounced(g);
        expect(await safeModeSoon(polling)).toEqual(stoppedToo);
        await unannounced(g);
        // As a verify that read the older finding before the newer one was recorded clears it, with its notice.
        const clear = await clearedWithoutNotice(g, older);
        await g.pool.query('SELECT pg_notify($1, $2)', ['stockbook_safe_mode', JSON.stringify({ server: 'stockbook verify', audit: clear })]);
        await new Promise((r) => setTimeout(r, 500));
        expect(await polling.call('safetyStatus')).toEqual(stoppedToo);
        await expect(receiveOne(polling, g, 'newer-stands')).rejects.toMatchObject(refused);
        expect(await runPgVerifyCommand(urlOf(g.connection), { json: false, clearSafeMode: true }, () => undefined)).toBe(0);
        expect(await safeModeEnded(polling)).toBe(true);
        await receiveOne(polling, g, 'both-cleared');
        expect(await movements(g)).toBe(2);
      } finally {
        await polling.close();
      }
    });
  });

  /** Removes audit entries as a pg_restore or point-in-time recovery to before them would (the delete trigger off for it). */
  const restoredToBefore = (g: PgFixture, id: number) =>
    sql(g.connection, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= ${id}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete`);

  it('stays in safe mode when its finding is gone without a clear (the database restored to before it): no verify ran, so nothing ends it', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const polling = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
      try {
        const entry = await unannounced(g);
        expect(await safeModeSoon(polling)).toEqual(stoppedToo);
        await restoredToBefore(g, entry);
        await new Promise((r) => setTimeout(r, 1_000));
        expect(await polling.call('safetyStatus')).toEqual(stoppedToo);
        await expect(receiveOne(polling, g, 'restored')).rejects.toMatchObject(refused);
        expect(await movements(g)).toBe(1);
      } finally {
        await polling.close();
      }
    });
  });

  it('a look given up (no answer in 10 s) switches nothing when it ends later: the server stays in safe mode when its clear is gone by then', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const polling = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
      const locker = openPool(g.connection, 1);
      const c = await locker.connect();
      try {
        const entry = await unannounced(g);
        expect(await safeModeSoon(polling)).toEqual(stoppedToo);
        // The start-up check the look runs after the clear waits on this lock past the look's 10 s.
        await c.query('BEGIN');
        await c.query('LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE');
        await clearedWithoutNotice(g, entry);
        await new Promise((r) => setTimeout(r, 10_500));
        // Meanwhile the database is restored to before the finding: its clear is gone with it.
        await restoredToBefore(g, entry);
        await c.query('COMMIT');
        await new Promise((r) => setTimeout(r, 1_000));
        expect(await polling.call('safetyStatus')).toEqual(stoppedToo);
        await expect(receiveOne(polling, g, 'late-look')).rejects.toMatchObject(refused);
        expect(await movements(g)).toBe(1);
      } finally {
        c.release();
        await locker.end();
        await polling.close();
      }
    });
  });

  it('stays in safe mode, saying to migrate and start again, when the cleared database needs migrating (a dump from before an upgrade), and stops running its checks', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const polling = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
      try {
        const entry = await unannounced(g);
        expect(await safeModeSoon(polling)).toEqual(stoppedToo);
        const newest = (await g.pool.query<{ timestamp: string; name: string }>('SELECT timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1')).rows[0]!;
        await g.pool.query('DELETE FROM migrations WHERE name = $1', [newest.name]);
        await clearedWithoutNotice(g, entry);
        let info = await polling.call('safetyStatus');
        for (let waited = 0; info?.reason !== 'open-failed' && waited < 10_000; waited += 20) {
          await new Promise((r) => setTimeout(r, 20));
          info = await polling.call('safetyStatus');
        }
        expect(info).toMatchObject({ reason: 'open-failed', message: expect.stringMatching(/^The safe mode was cleared, but this server's own start-up checks cannot run, so it stays in safe mode until it is started again\. The PostgreSQL database .* is behind this version of Stockbook \(1 migration to run: .*\)\. Nothing was changed\. /) });
        // It runs its checks no more: the migration put back, it still waits to be started again.
        await g.pool.query('INSERT INTO migrations (timestamp, name) VALUES ($1, $2)', [newest.timestamp, newest.name]);
        await new Promise((r) => setTimeout(r, 500));
        expect(await polling.call('safetyStatus')).toMatchObject({ reason: 'open-failed' });
        await expect(receiveOne(polling, g, 'to-migrate')).rejects.toMatchObject(refused);
      } finally {
        await polling.close();
      }
    });
  });

  it("stays in safe mode after the clear while its own start-up checks fail, saying so", { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000], async () => undefined, async (_host, g) => {
      const polling = await LedgerClient.startPostgres(g.connection, { safeModePollMs: 100 });
      try {
        const entry = await unannounced(g);
        expect(await safeModeSoon(polling)).toEqual(stoppedToo);
        // A migration this version does not know: verify's checks pass, this server's start-up check does not.
        await g.pool.query("INSERT INTO migrations (timestamp, name) VALUES (1999999999999, 'FromTheFuture1999999999999')");
        await clearedWithoutNotice(g, entry);
        let info = await polling.call('safetyStatus');
        for (let waited = 0; info?.reason !== 'unknown-migrations' && waited < 10_000; waited += 20) {
          await new Promise((r) => setTimeout(r, 20));
          info = await polling.call('safetyStatus');
        }
        expect(info).toMatchObject({ reason: 'unknown-migrations', message: expect.stringMatching(/^The safe mode was cleared, but this server's own start-up checks still fail, so it stays in safe mode\. The PostgreSQL ledger .* was set up by a newer version of Stockbook/) });
        await expect(receiveOne(polling, g, 'own-checks-fail')).rejects.toMatchObject(refused);
        expect(await movements(g)).toBe(1);
      } finally {
        await polling.close();
      }
    });
  });

  it('anchors the head it checked when it passes, and a later verify holds the chain to that anchor (a chain re-hashed after a changed note is caught)', { timeout: 120_000 }, async () => {
    await onPostedLedger([1_000, 2_000, 3_000], async () => undefined, async (host, g, heard) => {
      const head = (await g.pool.query<{ hash: string }>('SELECT hash FROM movements WHERE seq = 3')).rows[0]!.hash;
      expect(await checkFinished(host, heard)).toMatchObject({ kind: 'ledger-check', ok: true, message: expect.stringContaining('3 movements') });
      expect((await g.pool.query("SELECT id, seq, hash, qty_sum, source FROM chain_anchors ORDER BY id")).rows).toEqual([{ id: 1, seq: 3, hash: head, qty_sum: 6_000, source: 'check' }]);
      expect(await host.call('safetyStatus')).toBeNull();
      await g.store.post({ idempotencyKey: 'check-after', type: 'receipt', lines: [{ productId: g.ids.bulk, siteId: g.ids.wh, type: 'inbound', qty: 4_000 }] }, g.ids.admin);
      expect(await host.call('ledger.verify')).toMatchObject({ ok: true, movements: 4 });
      // Movement 2's note changed and the chain from it re-hashed, triggers back on: every check but the anchor's passes.
      const rows = (await g.pool.query<MovementRow>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements WHERE seq >= 2 ORDER BY seq`)).rows;
      let prev = rows[0]!.prev_hash;
      const rehash = rows.map((r) => {
        const note = r.seq === 2 ? 'changed' : r.note;
        const hash = hashMovement(prev, { ...r, note });
        const update = `UPDATE movements SET note = ${note === null ? 'NULL' : `'${note}'`}, prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`;
        prev = hash;
        return update;
      });
      await sql(g.connection, ['ALTER TABLE movements DISABLE TRIGGER movements_no_update', ...rehash, 'ALTER TABLE movements ENABLE TRIGGER movements_no_update'].join('; '));
      const report = await host.call('ledger.verify');
      expect(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.problems])).toEqual([
        ['chain-anchors', ['movement 3: its hash differs from the one chain anchor 1 (check) recorded (the chain up to it was rewritten)']],
      ]);
    });
  });
});

describe('start-up on PostgreSQL: schema and triggers', () => {
  it('refuses a database that holds no ledger, naming the command that migrates it; --migrate migrates and opens it', { timeout: 120_000 }, async () => {
    const empty = cluster.createDatabase(`empty_${process.pid}`);
    const err = await LedgerClient.startPostgres(empty).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`holds no Stockbook ledger yet. Nothing was changed. Run once`) });
    expect((err as Error).message).toContain(`--database-url postgres://stockbook@127.0.0.1:${cluster.port}/empty_${process.pid} --migrate`);
    const migrated = await LedgerClient.startPostgres(empty, { migrate: true });
    try {
      expect(await migrated.call('safetyStatus')).toBeNull();
      expect(await migrated.call('counts')).toEqual({ products: 0, movements: 0, sites: 0 });
    } finally {
      await migrated.close();
    }
  });

  it('opens a ledger whose append-only trigger was disabled in safe mode: the status names it, every other operation is refused with it', { timeout: 120_000 }, async () => {
    await onMigratedLedger('broken', 'ALTER TABLE movements DISABLE TRIGGER movements_no_delete', async (safe) => {
      const info = await safe.call('safetyStatus');
      expect(info).toMatchObject({ reason: 'integrity', problems: ['movements: the trigger movements_no_delete is missing or disabled'] });
      await expect(safe.call('counts')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`Stockbook is in safe mode: nothing can be done on this ledger until it is put right. ${info!.message}`) });
      expect(await safe.call('safetyStartFullCheck')).toBe(false);
    });
  });

  it('opens a ledger migrated by a newer Stockbook in safe mode, naming the migration', { timeout: 120_000 }, async () => {
    await onMigratedLedger('newer', "INSERT INTO migrations (timestamp, name) VALUES (1999999999999, 'FromTheFuture1999999999999')", async (safe) => {
      expect(await safe.call('safetyStatus')).toMatchObject({ reason: 'unknown-migrations', problems: ['migration FromTheFuture1999999999999 is not known to this version'] });
    });
  });
});

describe('the PostgreSQL server going away', () => {
  it('answers UNAVAILABLE, saying the server cannot be reached, instead of the host crashing', { timeout: 60_000 }, async () => {
    await f.close();
    fixtureOpen = false;
    cluster.stop();
    await expect(client.call('counts')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('The PostgreSQL server cannot be reached') });
    // Still the host answering (not "the ledger stopped"): a second call is told the same.
    await expect(client.call('sites.list')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('The PostgreSQL server cannot be reached') });
  });
});
