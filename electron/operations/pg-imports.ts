import type { ImportPreviewInput, ImportStartInput } from '../../shared/contract/operations.schemas';
import type { ImportPreview } from '../../shared/operations';
import { pgJobGate, STOCK_IMPORT_JOB } from '../exports/export-gate';
import type { PgWorkerContext } from '../ledger/pg/pg-ops';
import { pgTransaction, postInTransaction } from '../ledger/pg/store/pg-ledger-store';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import { importContentHash, readImportFile } from './import-file';
import { planImport } from './import-plan';
import { checkImportFile, duplicateAtStart, importCancelled, importDocuments, importedMessage, importDay, importLines, importRequest, importUnderKey, mayPostImport, recordImport, refuseEmptyImport, REPLAYED } from './import-rules';
import { PgImportStore } from './pg-import-store';
import { companyLocale, fileNumberLocale } from '../company/company-rules';
import { pgCompanySettings } from '../company/pg-time-zone-store';
import type { StockImports } from './stock-imports';

type Progress = (p: { done: number; total: number; phase: string }) => void;

/**
 * Stock import on a PostgreSQL ledger (StockImports, as stock-imports.ts's WorkerImports on SQLite): the same file
 * checks (import-file.ts, import-plan.ts), refusals, documents and records (import-rules.ts) as SQLite's, with
 * progress through ctx.startJob. The file is checked on the server outside any lock; its documents (IMPORT_CHUNK_LINES
 * rows each, as on SQLite) are then posted in ONE transaction under the chain lock, with the key and the content checked
 * again inside it: another server importing the same file at the same moment waits for the lock, then finds the first
 * import's record and is refused (or, under the same key, replays), so a file is posted once across servers. A cancel
 * before posting writes nothing; once posting has begun it commits whole or not at all, never part of the file.
 */
export class PgImports implements StockImports {
  constructor(private readonly ctx: PgWorkerContext) {}

  /** Reads and checks a file, nothing written. */
  async importPreview(input: ImportPreviewInput): Promise<ImportPreview> {
    const { source, company } = await pgTransaction(this.ctx.pool, async (c) => ({ source: await new PgImportStore(c).planSource(), company: await pgCompanySettings(c) }));
    const locale = fileNumberLocale(input.locale, company);
    return (await planImport(source, await readImportFile(input, locale), input.kind, { locale, dateLocale: companyLocale(company), today: importDay(company, undefined) })).preview;
  }

  /** Refuses an empty file, or a file imported before (unless confirmed), then starts the import's job. */
  async importStart(input: ImportStartInput, userId: number): Promise<{ started: true }> {
    refuseEmptyImport(input);
    const contentHash = importContentHash(input);
    // A resubmit under the same key replays (or is a key conflict) in the job; any other import of known content is refused here, with its details.
    await pgTransaction(this.ctx.pool, (c) => runLater(duplicateAtStart(new PgImportStore(c), input, contentHash)));
    // the import's transactions, one after another, count against the pool's gate with the exports (export-gate.ts)
    this.ctx.startJob(input.jobId, 'import', (signal, progress) =>
      pgJobGate(this.ctx.pool)
        .run(signal, (phase) => progress({ done: 0, total: 0, phase }), () => this.run({ ...input, contentHash }, userId, signal, progress), STOCK_IMPORT_JOB)
        .finally(() => this.ctx.emit('stock.changed', { documentId: null, reason: 'import' })),
    );
    return { started: true };
  }

  /** The import's job: check, then post once; returns the message the job ends with. */
  private async run(input: ImportStartInput & { contentHash: string }, userId: number, signal: AbortSignal, progress: Progress): Promise<string> {
    const { pool, clock } = this.ctx;
    // One snapshot for the whole check: its reads of the key and of the content must agree. Read one by one, another
    // server's import of this file under this key could commit between them, and the content read would then refuse
    // as "imported before" what the key read had found new (the posting's own check, under the chain lock, replays it).
    const checked = await readSnapshot(pool, async (c) => {
      const company = await pgCompanySettings(c);
      const file = { ...input, locale: fileNumberLocale(input.locale, company), dateLocale: companyLocale(company), today: importDay(company, input.occurredAt) };
      const r = new PgImportStore(c);
      const keyed = await runLater(importUnderKey(r, input, importRequest(file)));
      if (keyed.replayed !== null) return { kind: 'replayed', message: keyed.replayed } as const;
      return { kind: 'checked', hash: keyed.hash, file, source: await r.planSource(), locale: companyLocale(company) } as const;
    });
    if (checked.kind === 'replayed') return checked.message;
    const plan = await checkImportFile(checked.source, checked.file, signal, progress);
    const lines = importLines(plan, input.confirmExpired, checked.locale);
    const { parts, docOf } = importDocuments(input, lines);
    const total = lines.length * 2;
    progress({ done: lines.length, total, phase: 'posting' });
    await new Promise((resolve) => setImmediate(resolve)); // a cancel sent meanwhile arrives here
    if (signal.aborted) throw importCancelled();
    const postStart = performance.now();
    const posted = await pgTransaction(
      pool,
      async (c) => {
        const r = new PgImportStore(c);
        if (!(await runLater(mayPostImport(r, input, checked.hash)))) return false;
        const docs = Array.from({ length: parts }, (_, i) => docOf(i));
        const documentIds = (await postInTransaction(c, docs, userId, {}, clock)).map((d) => d.documentId);
        await runLater(recordImport(r, input, { requestHash: checked.hash, documentIds, rows: lines.length, userId, now: clock() }));
        return true;
      },
      { chainLock: true },
    );
    if (!posted) return REPLAYED;
    progress({ done: total, total, phase: 'done' });
    return importedMessage(lines.length, parts, postStart, checked.locale);
  }
}
