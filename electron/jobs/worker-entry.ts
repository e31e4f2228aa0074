import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Where a worker's code is. From TypeScript sources (tests, browser mode, CLI) the worker is the
 * sibling .ts file loaded through tsx; from the electron-vite bundle it is the bundled .js sibling.
 */
export function workerEntry(callerUrl: string, tsRelative: string, bundledName: string): { url: URL; options: WorkerOptions } {
  if (/\.(c|m)?ts$/.test(new URL(callerUrl).pathname)) {
    const tsx = createRequire(callerUrl).resolve('tsx');
    return { url: new URL(tsRelative, callerUrl), options: { execArgv: ['--import', pathToFileURL(tsx).href] } };
  }
  return { url: new URL(`./${bundledName}.js`, callerUrl), options: {} };
}
