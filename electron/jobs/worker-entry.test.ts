import { describe, expect, it } from 'vitest';
import { workerEntry } from './worker-entry';

describe('workerEntry: where a worker thread’s code is', () => {
  it('in the built app, the entry beside main.js, whether the caller was bundled into an entry or into a shared chunk', () => {
    // electron-vite puts code two entries share (full-check.ts: the ledger worker and the full-check worker) in out/main/chunks/.
    expect(workerEntry('file:///opt/Stockbook/resources/app.asar/out/main/chunks/full-check-PtFTMCa6.js', './full-check.worker.ts', 'full-check.worker')).toEqual({
      url: new URL('file:///opt/Stockbook/resources/app.asar/out/main/full-check.worker.js'),
      workerData: {},
    });
    expect(workerEntry('file:///opt/Stockbook/resources/app.asar/out/main/ledger.worker.js', './check-copy.worker.ts', 'check-copy.worker').url.href).toBe(
      'file:///opt/Stockbook/resources/app.asar/out/main/check-copy.worker.js',
    );
    expect(workerEntry('file:///C:/Program%20Files/Stockbook/resources/app.asar/out/main/main.js', './ledger.worker.ts', 'ledger.worker').url.href).toBe(
      'file:///C:/Program%20Files/Stockbook/resources/app.asar/out/main/ledger.worker.js',
    );
  });

  it('from the TypeScript sources, the sibling .ts file through the tsx bootstrap', () => {
    const entry = workerEntry('file:///work/stockbook/electron/safety/full-check.ts', './full-check.worker.ts', 'full-check.worker');
    expect(entry.url.pathname).toMatch(/\/electron\/jobs\/ts-worker-bootstrap\.mjs$/);
    expect(entry.workerData).toEqual({ __tsEntry: 'file:///work/stockbook/electron/safety/full-check.worker.ts' });
  });
});
