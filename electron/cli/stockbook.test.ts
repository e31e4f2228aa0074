import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './stockbook';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stockbook CLI: only init and demo create a ledger', () => {
  it.each([
    ['verify', []],
    ['info', []],
    ['backup', []],
    ['post', ['--to', '2026-01-01T00:00:00Z']],
  ])('%s on a missing path fails with "no ledger at PATH" and creates no folder and no file', async (command, extra) => {
    const path = join(dir, 'wrong', 'path.db');
    await expect(runCli([command, '--db', path, ...extra])).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`There is no ledger at ${path}.`) });
    expect(existsSync(join(dir, 'wrong'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('init creates an empty ledger (folder too) that verify and info then read; a second init is refused', async () => {
    const path = join(dir, 'new', 'ledger.db');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await runCli(['init', '--db', path])).toBe(0);
      expect(existsSync(path)).toBe(true);
      expect(await runCli(['verify', '--db', path])).toBe(0);
      expect(await runCli(['info', '--db', path])).toBe(0);
      expect(log.mock.calls.flat().join('\n')).toContain('Movements: 0');
      await expect(runCli(['init', '--db', path])).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`There is already a file at ${path}`) });
    } finally {
      log.mockRestore();
    }
  });

  it('demo may create its ledger, folder included', async () => {
    const path = join(dir, 'demo', 'ledger.db');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await runCli(['demo', '--db', path, '--movements', '2000'])).toBe(0);
      expect(existsSync(path)).toBe(true);
      expect(await runCli(['verify', '--db', path])).toBe(0);
      expect(readdirSync(join(dir, 'demo')).filter((n) => n.includes('demo-partial'))).toEqual([]);
    } finally {
      log.mockRestore();
    }
  });
});
