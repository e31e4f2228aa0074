import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from './store/sqlite-ledger';
import { holderFilePath } from './writer-lock';

// The same across real processes, with kill -9 of the holder: writer-lock.crash.ts.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one writer per ledger file', () => {
  it('a second open of the same file in one process is refused naming the holder, and works again once the first closes', async () => {
    const path = join(dir, 'same-process.db');
    const first = await SqliteLedger.open(path, { writer: 'the first opener' });
    await expect(SqliteLedger.open(path)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`in use by the first opener (process ${process.pid} on ${hostname()}, since `),
    });
    await first.close();
    expect(existsSync(holderFilePath(path))).toBe(false);
    const again = await SqliteLedger.open(path);
    await again.close();
  });

  it('a holder file left by a dead process neither blocks nor is quoted as the holder', async () => {
    const path = join(dir, 'stale.db');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = { host: hostname(), pid: Number(dead.stdout), kind: 'a long-gone server', since: Date.now() - 86_400_000 };
    writeFileSync(holderFilePath(path), JSON.stringify(stale));
    const ledger = await SqliteLedger.open(path);
    // The live holder's file replaced the stale one.
    writeFileSync(holderFilePath(path), JSON.stringify(stale));
    await expect(SqliteLedger.open(path)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('in use by another Stockbook process (it has not said which)') });
    await ledger.close();
  });
});
