import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { scanChain, type ChainScanResult } from './chain-scan';
import type { PartMessage, PartRequest } from './chain-scan-split';

/** One part of a split chain scan (chain-scan-split.ts), on its own read-only connection, in one read transaction. */
const { request } = workerData as { request: PartRequest };
const send = (m: PartMessage) => parentPort!.postMessage(m);
try {
  const db = new Database(request.path, { readonly: true, fileMustExist: true });
  let result: ChainScanResult;
  try {
    result = db.transaction(() =>
      scanChain(db, request.from, {
        anchors: request.anchors,
        transfers: new Set(request.transfers),
        part: { upTo: request.upTo, sumKnown: false },
        onProgress: (done) => send({ kind: 'progress', done }),
      }),
    )();
  } finally {
    // Closed before the answer: the caller may rename or delete the file next (Windows refuses while a handle is open).
    db.close();
  }
  for (const pair of result.pairs.values()) pair.last = null;
  send({ kind: 'done', result });
} catch (e) {
  send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
}
