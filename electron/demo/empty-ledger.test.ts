import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import type { Caller } from '../ledger/caller';
import { LedgerClient } from '../ledger/ledger-client';
import { SYSTEM_ACTOR } from '../safety/audit';

/**
 * Whether a ledger is new and empty (electron/demo/empty-ledger-store.ts), on the configured store
 * (test/fixtures/store-under-test.ts): a new ledger holds nothing, its sign-ins and backups included, and each thing
 * someone sets up makes it one that was set up. The app asks it to open the first-run assistant (company.get), which
 * opens on a new ledger only. What a SQLite file holds, by name, and the demo data that loads only into a new one:
 * empty-ledger.sqlite.test.ts.
 */
const cluster = clusterForConfiguredStore();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-empty-ledger-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let made = 0;

/** A new, empty ledger on the configured store (as `stockbook init` leaves it), through a ledger client of the store. */
async function newLedger(): Promise<{ ledger: LedgerClient; admin: Caller; close(): Promise<void> }> {
  const path = join(dir, `ledger-${++made}.db`);
  const configured = await configuredLedger(cluster(), path);
  const ledger = configured.store.kind === 'postgres' ? await LedgerClient.startPostgres(configured.store.connection) : await LedgerClient.start(path, 'the empty-ledger test');
  const admin = (await ledger.call('authFind', 'admin'))!;
  return {
    ledger,
    admin: { userId: admin.id, username: 'admin', permissions: [] },
    close: async () => {
      await ledger.close();
      await configured.close();
    },
  };
}

/** The first-run assistant as the app opens it: on a new ledger only. */
const assistant = async (ledger: LedgerClient) => (await ledger.call('company.get')).setup;
const NEW = { open: true, step: 'company' };
const SET_UP = { open: false, step: 'done' };

const setUps: [string, (l: LedgerClient, admin: Caller) => Promise<unknown>][] = [
  ['a site besides External', (l, admin) => l.call('masterdata.siteCreate', { code: 'SHOP', name: 'Corner Shop', kind: 'shop', allowNegative: false, active: true }, admin)],
  ['a product group', (l, admin) => l.call('masterdata.groupCreate', { code: 'WINE', name: 'Wine', postOnCosts: true, active: true }, admin)],
  ['a user with a password', (l, admin) => l.call('users.setSecret', 'admin', 'password', 'scrypt$not-a-real-hash', admin)],
  ['a user with a PIN', (l, admin) => l.call('users.setSecret', 'admin', 'pin', 'scrypt$not-a-real-hash', admin)],
  ['a user besides the built-in ones', (l, admin) => l.call('users.create', { username: 'clerk', displayName: 'Clerk', permissions: ['read:stock'] }, admin)],
  ['a setting', (l, admin) => l.call('auth.configure', 30, admin)],
];

describe(`a new ledger (${STORE_UNDER_TEST})`, () => {
  it('holds nothing, its sign-ins and backups included', async () => {
    const { ledger, admin, close } = await newLedger();
    try {
      expect(await assistant(ledger)).toEqual(NEW);
      await ledger.call('authAudit', admin, 'sign-in', { kind: 'open-access' });
      await ledger.call('authAudit', SYSTEM_ACTOR, 'backup', { reason: 'daily' });
      expect(await assistant(ledger)).toEqual(NEW);
    } finally {
      await close();
    }
  });

  it.each(setUps)('is set up once it holds %s', async (_what, setUp) => {
    const { ledger, admin, close } = await newLedger();
    try {
      expect(await assistant(ledger)).toEqual(NEW);
      await setUp(ledger, admin);
      expect(await assistant(ledger)).toEqual(SET_UP);
    } finally {
      await close();
    }
  });
});
