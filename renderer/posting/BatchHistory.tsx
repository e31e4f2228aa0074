import { Badge, Button } from '@fluentui/react-components';
import { ArrowUndoRegular, DocumentTextRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { BatchStatus, BatchSummary, PostingReport } from '../../shared/posting';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount, formatDateTime } from '../common/format';
import { PostingReportView } from './PostingReportView';
import { usePostingStyles } from './posting-styles';
import { targetLabel } from './target-key';

const COLOR: Record<BatchStatus, 'success' | 'informative' | 'danger' | 'warning' | 'subtle'> = {
  posted: 'success', running: 'informative', failed: 'danger', cancelled: 'warning', interrupted: 'warning',
};

/** Every batch, newest first: open its saved report or post its mirror ("reverse batch"). */
export function BatchHistory({ version }: { version: number }) {
  const s = usePostingStyles();
  const client = useClient();
  const [batches, setBatches] = useState<BatchSummary[]>([]);
  const [report, setReport] = useState<PostingReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const reload = useCallback(() => {
    client.call('posting.batches', {}).then(setBatches, (e: unknown) => setError(toAppError(e)));
  }, [client]);
  useEffect(reload, [reload, version]);
  const open = (id: number) => client.call('posting.report', { batchId: id }).then(setReport, (e: unknown) => setError(toAppError(e)));
  const reverse = (id: number) => {
    if (!window.confirm(`Post the mirror of batch ${id}? Its movements become postable again.`)) return;
    client.call('posting.reverse', { batchId: id }).then((r) => {
      setReport(r);
      reload();
    }, (e: unknown) => setError(toAppError(e)));
  };
  return (
    <div className={s.panel}>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <div className={s.scroll} style={{ maxHeight: 300 }}>
        <table className={s.table} aria-label="Posting batches">
          <thead>
            <tr>
              <th data-num="">Batch</th><th>Status</th><th>Target</th><th>Posted to</th><th data-num="">Movements</th>
              <th data-num="">Entries</th><th data-num="">Lines</th><th>Started</th><th>Finished</th><th>Correction</th><th />
            </tr>
          </thead>
          <tbody>
            {batches.length === 0 ? <tr><td colSpan={11} className={s.muted}>No batches yet. Post movements on the Post tab.</td></tr> : null}
            {batches.map((b) => (
              <tr key={b.id}>
                <td className={s.num}>{b.id}</td>
                <td><Badge size="small" appearance="tint" color={COLOR[b.status]}>{b.status}</Badge>{b.summarised ? <Badge size="small" appearance="outline" style={{ marginLeft: 4 }}>summary</Badge> : null}</td>
                <td>{targetLabel(b.target)}</td>
                <td>{formatDateTime(b.postedTo)}</td>
                <td className={s.num}>{formatCount(b.movementCount)}</td>
                <td className={s.num}>{formatCount(b.entryCount)}</td>
                <td className={s.num}>{formatCount(b.lineCount)}</td>
                <td>{formatDateTime(b.startedAt)}</td>
                <td>{formatDateTime(b.finishedAt)}</td>
                <td>{b.reversalOf ? `reverses ${b.reversalOf}` : b.reversedBy ? `reversed by ${b.reversedBy}` : ''}</td>
                <td>
                  <Button size="small" appearance="subtle" icon={<DocumentTextRegular />} onClick={() => void open(b.id)}>Report</Button>
                  {b.reversalOf === null && b.reversedBy === null && b.status !== 'running' ? (
                    <Button size="small" appearance="subtle" icon={<ArrowUndoRegular />} onClick={() => reverse(b.id)}>Reverse</Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report ? <PostingReportView report={report} /> : null}
    </div>
  );
}
