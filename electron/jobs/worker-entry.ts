/**
 * Where a worker's code is. From TypeScript sources (tests, browser mode, CLI) the worker is the
 * sibling .ts file, loaded through a small bootstrap that registers tsx; from the electron-vite
 * bundle it is the bundled entry `<bundledName>.js` in out/main, also when the caller's code was
 * bundled into a shared chunk (out/main/chunks/, as full-check.ts is: two entries import it).
 */
export function workerEntry(callerUrl: string, tsRelative: string, bundledName: string): { url: URL; workerData: Record<string, unknown> } {
  if (/\.(c|m)?ts$/.test(new URL(callerUrl).pathname)) {
    return {
      url: new URL('./ts-worker-bootstrap.mjs', import.meta.url),
      workerData: { __tsEntry: new URL(tsRelative, callerUrl).href },
    };
  }
  const here = new URL('.', callerUrl);
  const entries = here.pathname.endsWith('/chunks/') ? new URL('..', here) : here;
  return { url: new URL(`./${bundledName}.js`, entries), workerData: {} };
}
