import { AppError } from '../../../shared/contract/errors';
import type { PostingStore } from '../posting-store';
import { BUILTIN_TARGET, BuiltinLedgerTarget } from './builtin-ledger';
import type { FinanceTarget } from './finance-target';
import { CSV_PREFIX, CsvJournalTarget, parseCsvTargetKey } from './csv-journal';
import { HLEDGER_PREFIX, HledgerFileTarget } from './hledger-file';

/** 'builtin', 'hledger:PATH' or 'csv:FORMAT:DIR' → the target; a new file or folder starts with the built-in chart. */
export function openTarget(store: PostingStore, key: string): FinanceTarget {
  if (key === BUILTIN_TARGET) return new BuiltinLedgerTarget(store);
  if (key.startsWith(HLEDGER_PREFIX) && key.length > HLEDGER_PREFIX.length) {
    const t = new HledgerFileTarget(store, key.slice(HLEDGER_PREFIX.length));
    t.ensureFile(store.accounts());
    return t;
  }
  if (key.startsWith(CSV_PREFIX)) {
    const { format, dir } = parseCsvTargetKey(key);
    const t = new CsvJournalTarget(store, format, dir);
    t.ensureFolder(store.accounts());
    return t;
  }
  throw new AppError('VALIDATION', `"${key}" is not a finance target. Use "builtin", "hledger:/path/to/file.journal", "csv:sage50:/folder" or "csv:xero:/folder".`);
}
