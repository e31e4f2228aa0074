import { AppError } from '../../../shared/contract/errors';
import type { PostingStore } from '../posting-store';
import { BUILTIN_TARGET, BuiltinLedgerTarget } from './builtin-ledger';
import type { FinanceTarget } from './finance-target';
import { CSV_PREFIX, CsvJournalTarget, csvTargetKey, parseCsvTargetKey } from './csv-journal';
import { HLEDGER_PREFIX, HledgerFileTarget, HledgerJournalFile } from './hledger-file';

/** The target a key names, without touching the disk; throws for a key that names no target. */
function targetFor(store: PostingStore, key: string): BuiltinLedgerTarget | HledgerFileTarget | CsvJournalTarget {
  if (key === BUILTIN_TARGET) return new BuiltinLedgerTarget(store);
  if (key.startsWith(HLEDGER_PREFIX) && key.length > HLEDGER_PREFIX.length) return new HledgerFileTarget(store, key.slice(HLEDGER_PREFIX.length));
  if (key.startsWith(CSV_PREFIX)) {
    const { format, dir } = parseCsvTargetKey(key);
    return new CsvJournalTarget(store, format, dir);
  }
  throw notATarget(key);
}

const notATarget = (key: string) =>
  new AppError('VALIDATION', `"${key}" is not a finance target. Use "builtin", "hledger:/path/to/file.journal", "csv:sage50:/folder" or "csv:xero:/folder".`);

/** The key posting records for a target as typed ("hledger:books/x.journal" → "hledger:/abs/books/x.journal"), on either store, touching nothing. */
export function canonicalTargetKey(key: string): string {
  if (key === BUILTIN_TARGET) return key;
  if (key.startsWith(HLEDGER_PREFIX) && key.length > HLEDGER_PREFIX.length) return new HledgerJournalFile(key.slice(HLEDGER_PREFIX.length)).key;
  if (key.startsWith(CSV_PREFIX)) {
    const { format, dir } = parseCsvTargetKey(key);
    return csvTargetKey(format, dir);
  }
  throw notATarget(key);
}

/** 'builtin', 'hledger:PATH' or 'csv:FORMAT:DIR' → the target; a new file or folder starts with the built-in chart. */
export function openTarget(store: PostingStore, key: string): FinanceTarget {
  const t = targetFor(store, key);
  if (t instanceof HledgerFileTarget) t.ensureFile(store.accounts());
  if (t instanceof CsvJournalTarget) t.ensureFolder(store.accounts());
  return t;
}
