import { AppError } from '../../../shared/contract/errors';
import { businessCurrency } from '../../company/business-time-zone';
import type { PostingStore } from '../posting-store';
import { BUILTIN_TARGET, BuiltinLedgerTarget } from './builtin-ledger';
import type { FinanceTarget } from './finance-target';
import { CSV_PREFIX, CsvJournalTarget, csvTargetKey, parseCsvTargetKey, type CsvFormat } from './csv-journal';
import { HLEDGER_PREFIX, HledgerFileTarget, HledgerJournalFile } from './hledger-file';

/** What a target key names, read the same way on both stores. */
export type TargetSpec = { kind: 'builtin' } | { kind: 'hledger'; path: string } | { kind: 'csv'; format: CsvFormat; dir: string };

/** 'builtin', 'hledger:PATH' or 'csv:FORMAT:DIR' → what it names, touching nothing; throws for a key that names no target. */
export function parseTargetKey(key: string): TargetSpec {
  if (key === BUILTIN_TARGET) return { kind: 'builtin' };
  if (key.startsWith(HLEDGER_PREFIX) && key.length > HLEDGER_PREFIX.length) return { kind: 'hledger', path: key.slice(HLEDGER_PREFIX.length) };
  if (key.startsWith(CSV_PREFIX)) return { kind: 'csv', ...parseCsvTargetKey(key) };
  throw new AppError('VALIDATION', `"${key}" is not a finance target. Use "builtin", "hledger:/path/to/file.journal", "csv:sage50:/folder" or "csv:xero:/folder".`);
}

/** The key posting records for a target as typed ("hledger:books/x.journal" → "hledger:/abs/books/x.journal"), on either store, touching nothing. */
export function canonicalTargetKey(key: string): string {
  const spec = parseTargetKey(key);
  if (spec.kind === 'hledger') return new HledgerJournalFile(spec.path).key;
  if (spec.kind === 'csv') return csvTargetKey(spec.format, spec.dir);
  return BUILTIN_TARGET;
}

/** 'builtin', 'hledger:PATH' or 'csv:FORMAT:DIR' → the target; a new file or folder starts with the built-in chart. */
export function openTarget(store: PostingStore, key: string): FinanceTarget {
  const spec = parseTargetKey(key);
  if (spec.kind === 'hledger') {
    const t = new HledgerFileTarget(store, spec.path);
    t.ensureFile(store.accounts(), businessCurrency(store.db));
    return t;
  }
  if (spec.kind === 'csv') {
    const t = new CsvJournalTarget(store, spec.format, spec.dir);
    t.ensureFolder(store.accounts());
    return t;
  }
  return new BuiltinLedgerTarget(store);
}
