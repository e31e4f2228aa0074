import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { partialPathFor, sweepStalePartials } from './stale-files';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("removes a dead writer's .partial with the WAL and shared-memory files its check left, and keeps this process's", () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-partials-'));
  const mine = partialPathFor(join(dir, 'stockbook-20260101-000000-000-manual.db'));
  const dead = mine.replace(`.${process.pid}@`, '.999999999@');
  for (const f of [mine, dead, `${dead}-wal`, `${dead}-shm`, `${dead}-journal`]) writeFileSync(f, 'x');
  expect(sweepStalePartials(dir).sort()).toEqual([dead, `${dead}-journal`, `${dead}-shm`, `${dead}-wal`].map((f) => f.slice(dir.length + 1)).sort());
  expect(readdirSync(dir)).toEqual([mine.slice(dir.length + 1)]);
  expect(existsSync(mine)).toBe(true);
});
