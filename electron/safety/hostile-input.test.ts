import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../shared/domain';
import { METHOD_NAMES, methods } from '../../shared/contract/methods';
import type { CallOutcome } from '../../shared/contract/transport';
import { configuredLedger, type ConfiguredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook, type Stockbook } from '../app/compose';
import type { CallContext } from '../app/dispatcher';

/** Values that belong nowhere: wrong types, huge strings, negative and fractional numbers, SQL, path traversal, prototype keys. */
const HOSTILE_VALUES: unknown[] = [
  'not-a-number',
  42,
  -1,
  1.5,
  -0.25,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  [],
  [1, 'two', null],
  { nested: { deeper: 'x' } },
  'A'.repeat(100_001),
  "1; DROP TABLE movements; --",
  "' OR '1'='1",
  '../../../../etc/passwd',
  '..\\..\\Windows\\System32\\config\\SAM',
  '/proc/self/environ',
  'C:\\backups\\..\\..\\stockbook.db',
  'nul\u0000byte',
  '',
];
const WHOLE_INPUTS: unknown[] = ['string', 7, [], true, { __proto__: { polluted: true } }, JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'), { sql: 'DROP TABLE movements' }];

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  const def = (schema as unknown as { def: { type: string; in?: z.ZodType; innerType?: z.ZodType } }).def;
  if (def.type === 'object') return (schema as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
  if (def.type === 'pipe' && def.in) return shapeOf(def.in);
  if (def.innerType) return shapeOf(def.innerType);
  return null;
}

/** Invalid inputs for one method: hostile whole inputs, each field alone set to each hostile value, and every field hostile at once. */
function invalidInputsFor(schema: z.ZodType): unknown[] {
  const candidates: unknown[] = [...WHOLE_INPUTS];
  const shape = shapeOf(schema) ?? {};
  const keys = Object.keys(shape);
  for (const k of keys) for (const v of HOSTILE_VALUES) candidates.push({ [k]: v });
  for (const v of HOSTILE_VALUES) candidates.push(Object.fromEntries(keys.map((k) => [k, v])));
  candidates.push({ ...Object.fromEntries(keys.map((k) => [k, "'; DROP TABLE users; --"])), extra: '../../secret' });
  // Only inputs the contract must refuse (some hostile strings are legitimate text, e.g. a search for "' OR").
  return candidates.filter((c) => !schema.safeParse(c ?? {}).success);
}

/**
 * On the configured store (test/fixtures/store-under-test.ts): a SQLite ledger file by default, a PostgreSQL database in
 * `npm run test:unit:pg`. One app for the file; the ledger is read around it (plain SQL from another client).
 */
const cluster = clusterForConfiguredStore();
let dir: string;
let configured: ConfiguredLedger;
let app: Stockbook;
let everything: CallContext;

/** The ledger's own tables: what the calls must leave as they were (the audit log and the backups list may grow). */
const TABLES =
  STORE_UNDER_TEST === 'postgres'
    ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('audit_log', 'backups')"
    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'backups', 'sqlite_sequence')";

async function ledgerState() {
  const counts: Record<string, number | string> = {};
  const count = async (from: string) => Number((await configured.sql(`SELECT COUNT(*) AS n FROM ${from}`))[0]!.n);
  for (const { name } of (await configured.sql(TABLES)) as { name: string }[]) counts[name] = await count(`"${name}"`);
  // The background full check after start records the chain head when it passes, whenever it ends: not a change by a call.
  counts.chain_anchors = await count("chain_anchors WHERE source <> 'check'");
  counts.head = String((await configured.sql('SELECT hash FROM movements ORDER BY seq DESC LIMIT 1'))[0]!.hash);
  const verify = await app.dispatch('ledger.verify', {}, app.session);
  counts.verify = verify.ok && (verify.result as { ok: boolean }).ok ? 'ok' : `BROKEN ${JSON.stringify(verify).slice(0, 300)}`;
  return counts;
}

const ok = <T,>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-hostile-'));
  configured = await configuredLedger(cluster(), join(dir, 'h.db'));
  app = await startStockbook({ dbPath: join(dir, 'h.db'), mode: 'web', store: configured.store });
  everything = { ...app.session, permissions: [...PERMISSIONS] };
  const siteId = ok<{ id: number }>(await app.dispatch('masterdata.siteCreate', { code: 'WH1', name: 'Warehouse', kind: 'warehouse', allowNegative: false }, everything)).id;
  const productId = ok<{ id: number }>(
    await app.dispatch('masterdata.productCreate', { sku: 'A', name: 'A', unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }, everything),
  ).id;
  for (let i = 1; i <= 3; i++) {
    ok(await app.dispatch('operations.receive', { idempotencyKey: `hostile-seed-${i}`, kind: 'stock_receipt', siteId, reference: `R-${i}`, lines: [{ productId, qty: 100, unitCost: 5 }] }, everything));
  }
}, 180_000);
afterAll(async () => {
  await app?.close();
  await configured?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`hostile input through the dispatcher (${STORE_UNDER_TEST})`, () => {
  it('every contract method refuses every generated invalid input with a clear VALIDATION error; the ledger is unchanged', async () => {
    const before = await ledgerState();
    let calls = 0;
    const perMethod: Record<string, number> = {};
    const failures: string[] = [];
    for (const name of METHOD_NAMES) {
      const inputs = invalidInputsFor(methods[name].input);
      perMethod[name] = inputs.length;
      for (const input of inputs) {
        calls++;
        const out = await app.dispatch(name, input, everything);
        if (out.ok || !['VALIDATION', 'NOT_FOUND', 'PERMISSION'].includes(out.error.code) || out.error.message.length < 20) {
          failures.push(`${name} ${JSON.stringify(input)?.slice(0, 120)} → ${JSON.stringify(out).slice(0, 200)}`);
        }
      }
    }
    // An unknown method and a signed-out session are refused too.
    expect(await app.dispatch('ledger.dropEverything', {}, everything)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await app.dispatch('__proto__', {}, everything)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await app.dispatch('operations.receive', {}, { userId: 0, username: 'nobody', permissions: [] })).toMatchObject({ ok: false });
    // The raw document poster is not a public method: no caller can post a document that skips the operations.
    expect(await app.dispatch('ledger.postDocument', {}, everything)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(failures).toEqual([]);
    for (const [name, n] of Object.entries(perMethod)) expect(n, `${name} got no invalid inputs`).toBeGreaterThan(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await ledgerState()).toEqual(before);
    console.log(`hostile input: ${calls} invalid calls over ${METHOD_NAMES.length} methods, all refused; ledger unchanged`);
  }, 180_000);

  it('unknown ids in otherwise valid inputs never crash (no INTERNAL) and change nothing', async () => {
    const before = await ledgerState();
    const problems: string[] = [];
    let calls = 0;
    const codes: Record<string, number> = {};
    for (const name of METHOD_NAMES) {
      const shape = shapeOf(methods[name].input) ?? {};
      for (const key of Object.keys(shape).filter((k) => /Id$/.test(k))) {
        const input = { [key]: 987_654_321 };
        if (!methods[name].input.safeParse(input).success) continue;
        calls++;
        const out = await app.dispatch(name, input, everything);
        const code = out.ok ? 'ok' : out.error.code;
        codes[code] = (codes[code] ?? 0) + 1;
        if (!out.ok && (out.error.code === 'INTERNAL' || out.error.message.length < 20)) problems.push(`${name} ${key} → ${JSON.stringify(out)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(await ledgerState()).toEqual(before);
    console.log(`unknown ids: ${calls} calls, outcomes ${JSON.stringify(codes)}; ledger unchanged`);
  }, 120_000);
});
