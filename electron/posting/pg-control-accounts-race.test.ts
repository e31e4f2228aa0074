import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlAccounts } from '../../shared/posting';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { settledOrWaiting, writeBetween } from '../../test/fixtures/pg-servers';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { openPool } from '../ledger/pg/pg-types';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { postingPgOps } from './posting.pg-ops';

/**
 * Saving the control accounts (or loading a preset) answers with the map it saved, read in the save's own transaction:
 * another server's save committed between this one's write and its re-read is in none of the answer (it commits after,
 * and the next read shows it). Before, the re-read ran after the commit, one statement at a time, so the answer could
 * be this save's chart with the other server's rules.
 */
let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

type Ops = Pick<PgLedgerOps, 'posting.controlAccounts' | 'posting.saveControlAccounts' | 'posting.loadPreset'>;
/** This server (the one that saves and answers), on a pool of its own; the other server is the fixture's pool. */
let pool: pg.Pool;
let here: Ops;
let there: Ops;
let preset: ControlAccounts;
beforeAll(async () => {
  pool = openPool(f.connection, 2);
  here = postingPgOps(createPgWorkerContext(pool, f.connection, () => undefined)) as Ops;
  there = postingPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined)) as Ops;
  preset = await there['posting.controlAccounts']!();
});
afterAll(() => pool?.end());

/** The other server's save: its own rules (the first one left out) and an account of its own. */
const theirs = (): ControlAccounts & { target: string } => ({
  accounts: [...preset.accounts, { code: '9002', name: 'Saved by the other server' }],
  rules: preset.rules.slice(1),
  target: 'builtin',
});
/** This server's save: the last rule left out and an account of its own. */
const mine = (): ControlAccounts & { target: string } => ({
  accounts: [...preset.accounts, { code: '9001', name: 'Saved here' }],
  rules: preset.rules.slice(0, -1),
  target: 'builtin',
});

const cases: [string, () => Promise<ControlAccounts>][] = [
  ['saving the control accounts', () => here['posting.saveControlAccounts']!(mine())],
  ['loading a preset', () => here['posting.loadPreset']!({ preset: 'single-site-shop' })],
];

describe('control accounts saved on PostgreSQL while another server saves', () => {
  it.each(cases)('%s answers with what it saved, never half of the other server\'s save', async (_name, save) => {
    const quiet = await save();
    await there['posting.loadPreset']!({ preset: 'vision-commerce' });
    let written: Promise<unknown> = Promise.resolve();
    // the other server saves just after this one's re-read of the chart (and waits for this save's lock, if it holds it)
    const wrote = writeBetween(pool, /SELECT code, name FROM finance_accounts/, () => (written = there['posting.saveControlAccounts']!(theirs())), { until: (w) => settledOrWaiting(f.pool, w, 1) });
    const answer = await save();
    expect(wrote()).toBe(true);
    await written;
    expect(answer).toEqual(quiet);
    // the other server's save committed after: it is what the next read shows, whole
    const after = await here['posting.controlAccounts']!();
    expect(after.rules).toEqual(theirs().rules);
    expect(after.accounts.map((a) => a.code)).toContain('9002');
  });
});
