import { Button, MessageBar, MessageBarBody, Text, Tooltip } from '@fluentui/react-components';
import { ArrowDownloadRegular, DocumentPdfRegular, InfoRegular, PrintRegular } from '@fluentui/react-icons';
import type { PostingReport } from '../../shared/posting';
import { useClient } from '../client';
import { formatCount, formatDateTime, plural } from '../common/format';
import { usePostingStyles } from './posting-styles';
import { reportMoney } from './report-money';
import { reportMessage } from '../../shared/production-note';
import { targetLabel } from './target-key';

/** Seed 004's posting report: counts by type, totals per account, debits = credits and the entry-id check. */
export function PostingReportView({ report }: { report: PostingReport }) {
  const s = usePostingStyles();
  /** Money in the company's currency and locale, in its own decimals as everywhere else; a rounded amount's exact figure on hover. */
  const { money, exact, rounded, balance } = reportMoney(report);
  const amount = (a: number) => (
    <td className={s.num} title={rounded && money(a) !== exact(a) ? `Exactly ${exact(a)}` : undefined}>
      {money(a)}
    </td>
  );
  const client = useClient();
  const downloadCsv = async () => {
    const { fileName, csv } = await client.call('posting.reportCsv', { batchId: report.batchId });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
    a.click();
    URL.revokeObjectURL(url);
  };
  const downloadPdf = async () => {
    const { fileName, base64 } = await client.call('posting.reportPdf', { batchId: report.batchId });
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
    a.click();
    URL.revokeObjectURL(url);
  };
  const expected = report.lastEntryBefore + report.entryCount;
  /** A running batch's report holds only what it has committed so far: it says so, and its checks are not final. */
  const running = report.status === 'running';
  const soFar = running ? ' so far' : '';
  return (
    <section aria-label={`Posting report of batch ${report.batchId}`} data-testid="posting-report" className={s.panel} style={{ padding: 0 }}>
      <div className={s.toolbar} style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Text weight="semibold" size={400}>
          Posting report — batch {report.batchId}
          {report.reversalOf ? ` (reversal of batch ${report.reversalOf})` : ''}
          {running ? ' (still running)' : ''}
        </Text>
        <div className={s.toolbar}>
          <Button size="small" icon={<ArrowDownloadRegular />} onClick={() => void downloadCsv()}>CSV</Button>
          <Button size="small" icon={<DocumentPdfRegular />} onClick={() => void downloadPdf()}>PDF</Button>
          <Button size="small" icon={<PrintRegular />} onClick={() => window.print()}>Print</Button>
        </div>
      </div>
      {running ? (
        <MessageBar intent="info" data-testid="report-running">
          <MessageBarBody>Batch {report.batchId} is still running: these are the figures it has committed so far, not its final report.</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={s.grid2}>
        <div className={s.panel} style={{ padding: 0 }}>
          <dl className={s.facts}>
            <dt>Status</dt><dd>{report.status}{report.summarised ? ' · summarised' : ' · detailed'}</dd>
            <dt>Target</dt><dd>{targetLabel(report.target)}</dd>
            <dt>Posted to</dt><dd>{formatDateTime(report.postedTo)}</dd>
            <dt>Run</dt><dd>{formatDateTime(report.startedAt)} – {formatDateTime(report.finishedAt)}</dd>
            <dt>Movements</dt><dd>{formatCount(report.movementCount)}{report.valueCreditCount ? ` + ${plural(report.valueCreditCount, 'value-only credit')}` : ''}</dd>
            <dt>Entries / lines</dt><dd>{formatCount(report.entryCount)} / {formatCount(report.lineCount)}</dd>
          </dl>
          <div className={s.section}>Entry-id check</div>
          <table className={s.table} data-testid="entry-check">
            <tbody>
              <tr><td>Last entry id before posting</td><td className={s.num}>{formatCount(report.lastEntryBefore)}</td></tr>
              <tr><td>+ entries posted</td><td className={s.num}>{formatCount(report.entryCount)}</td></tr>
              <tr><td>= expected last entry id</td><td className={s.num}>{formatCount(expected)}</td></tr>
              <tr className={s.total}>
                <td>Last entry id in the finance system</td>
                <td className={s.num}>{formatCount(report.lastEntryAfter)} <span className={report.entryCheckOk ? s.ok : s.bad}>{report.entryCheckOk ? '✓ agrees' : '✗ differs'}{soFar}</span></td>
              </tr>
            </tbody>
          </table>
          <div className={s.section}>By movement type</div>
          <div className={s.scroll} style={{ maxHeight: 260 }}>
            <table className={s.table}>
              <thead><tr><th>Movement type</th><th data-num="">Movements</th><th data-num="">Entries</th></tr></thead>
              <tbody>
                {report.byType.map((t) => (
                  <tr key={t.type}><td>{t.displayName}</td><td className={s.num}>{formatCount(t.movements)}</td><td className={s.num}>{formatCount(t.entries)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div className={s.panel} style={{ padding: 0 }}>
          <div className={s.section}>
            Totals per account — debits = credits: <span className={report.balanced ? s.ok : s.bad} data-testid="balanced">{report.balanced ? 'yes' : 'NO'}{soFar}</span>
            {rounded ? (
              <Tooltip relationship="description" content="Some amounts hold part of a penny (unit costs are kept to 1/10000). They are shown rounded to the currency's decimals, as everywhere else, so a total may differ by a penny from its rounded lines; point at an amount to see it exactly. The journal file, CSV and PDF keep every amount exact.">
                <span className={s.muted} data-testid="report-rounded" tabIndex={0} style={{ marginLeft: 8 }}><InfoRegular /> Rounded to the penny; exact in the journal</span>
              </Tooltip>
            ) : null}
          </div>
          <div className={s.scroll} style={{ maxHeight: 420 }}>
            <table className={s.table}>
              <thead><tr><th>Account</th><th>Name</th><th data-num="">Debit</th><th data-num="">Credit</th></tr></thead>
              <tbody>
                {report.accounts.map((a) => (
                  <tr key={a.code}><td>{a.code}</td><td>{a.name}</td>{amount(a.debit)}{amount(a.credit)}</tr>
                ))}
                <tr className={s.total}><td colSpan={2}>Total</td>{amount(report.totalDebit)}{amount(report.totalCredit)}</tr>
              </tbody>
            </table>
          </div>
          <Text className={s.muted} data-testid="report-message">{reportMessage(report, balance)}</Text>
        </div>
      </div>
    </section>
  );
}
