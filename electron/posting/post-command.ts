import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { upToInstant } from '../../shared/business-time';
import { AppError } from '../../shared/contract/errors';
import { cliProgress } from '../cli/cli-progress';
import { businessFormat, businessTimeZone } from '../company/business-time-zone';
import { backupBeforePosting } from '../safety/backup-service';
import type { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { runPosting } from './batch-runner';
import { reportText } from './posting-report';
import { saveReportPdf } from './posting-report-file';
import { PostingStore } from './posting-store';
import { openTarget } from './targets/open-target';

/**
 * `stockbook post --to DATETIME --target builtin|hledger:FILE [--summarised] [--pdf FILE] [--no-backup]`: a checked backup
 * first (unless --no-backup), the report on stdout, its PDF
 * saved beside the ledger (reports/) and, with --pdf, copied to FILE; exit 0 only if all is well.
 */
export async function runPostCommand(
  ledger: SqliteLedger,
  o: { to?: string; target?: string; summarised?: boolean; pdf?: string; backup?: boolean },
  out: (s: string) => void = (s) => console.log(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  if (!o.to) throw new AppError('VALIDATION', '--to is required: give the date and time to post up to, e.g. --to 2026-01-31 (the end of that day in the company time zone) or --to 2026-01-31T23:59:59Z.');
  const zone = businessTimeZone(ledger.db);
  const to = (() => {
    try {
      return upToInstant(o.to, zone);
    } catch {
      return Number.NaN;
    }
  })();
  if (!Number.isFinite(to)) throw new AppError('VALIDATION', `--to ${o.to} is not a date and time; give e.g. --to 2026-01-31 (the end of that day in the company time zone), --to 2026-01-31T18:00:00 (company time) or --to 2026-01-31T23:59:59Z.`);
  const store = new PostingStore(ledger.db);
  const target = openTarget(store, o.target ?? 'builtin');
  const user = ledger.reference.userId('system');
  if (o.backup !== false) {
    const b = await backupBeforePosting(ledger);
    err(`Backup before posting: ${b.path}\n`);
  }
  const r = await runPosting(store, target, {
    to,
    summarised: o.summarised ?? false,
    userId: user,
    onProgress: cliProgress(err),
  });
  out(reportText(r, businessFormat(ledger.db)));
  const saved = await saveReportPdf(ledger.path, r, businessFormat(ledger.db));
  if (o.pdf) copyFileSync(saved, resolve(o.pdf));
  err(`PDF report: ${o.pdf ? resolve(o.pdf) : saved}\n`);
  return r.status === 'posted' && r.balanced && r.entryCheckOk ? 0 : 1;
}
