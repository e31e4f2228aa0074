import { Badge, Button, Text } from '@fluentui/react-components';
import { ArrowUndoRegular, DismissRegular, DocumentTextRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { exportQueuedText } from '../../shared/enquiry';
import type { BatchStatus, BatchSummary, PostingReport } from '../../shared/posting';
import { useJob } from '../app/jobs-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount, formatDateTime } from '../common/format';
import { PostingReportView } from './PostingReportView';
import { ReverseBatchDialog, type ReversalAsked } from './ReverseBatchDialog';
import { usePostingStyles } from './posting-styles';
import { targetLabel } from './target-key';

const COLOR: Record<BatchStatus, 'success' | 'informative' | 'danger' | 'warning' | 'subtle'> = {
  posted: 'success', running: 'informative', failed: 'danger', cancelled: 'warning', interrupted: 'warning',
};

/** A batch's state as the history shows it: a reversed batch is no longer just "posted", and a reversal says what it reverses. */
function badgeText(b: BatchSummary): string {
  if (b.reversedBy !== null) return `reversed (by batch ${b.reversedBy})`;
  if (b.reversalOf !== null) return `reversal of ${b.reversalOf}`;
  return b.status;
}

function badgeColor(b: BatchSummary): (typeof COLOR)[BatchStatus] {
  if (b.reversedBy !== null) return 'warning';
  if (b.reversalOf !== null) return 'informative';
  return COLOR[b.status];
}

/** Makes each reversal's job id unique in this window. */
let reversalCounter = 0;

/** Every batch, newest first: open its saved report or reverse it (a new batch with the opposite entries), after asking. */
/** `onReversed`: a mirror batch was posted, so the movements it reverses are postable again. */
export function BatchHistory({ version, onReversed }: { version: number; onReversed: () => void }) {
  const s = usePostingStyles();
  const client = useClient();
  const [batches, setBatches] = useState<BatchSummary[]>([]);
  const [report, setReport] = useState<PostingReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const reload = useCallback(() => {
    client.call('posting.batches', {}).then(setBatches, (e: unknown) => setError(toAppError(e)));
  }, [client]);
  useEffect(reload, [reload, version]);
  /** The reversal asked for and not answered yet, and the job it runs as: its wait for a turn is heard there and cancelled there. */
  const [reversing, setReversing] = useState<{ batchId: number; jobId: string } | null>(null);
  const reversal = useJob(reversing?.jobId ?? null);
  const queued = exportQueuedText(reversal?.finished ? undefined : reversal?.progress?.phase);
  /** A reversal cancelled while it waited: said, not shown as an error. */
  const [notice, setNotice] = useState<string | null>(null);
  const open = (id: number) => client.call('posting.report', { batchId: id }).then(setReport, (e: unknown) => setError(toAppError(e)));
  /** The batch whose reversal the dialog asks about (with its report, for the total debit). */
  const [asked, setAsked] = useState<ReversalAsked | null>(null);
  const ask = (batch: BatchSummary) =>
    client.call('posting.report', { batchId: batch.id }).then((report) => setAsked({ batch, report }), (e: unknown) => setError(toAppError(e)));
  const reverse = (id: number) => {
    setAsked(null);
    const jobId = `posting-reversal-${Date.now()}-${++reversalCounter}`;
    setError(null);
    setNotice(null);
    setReversing({ batchId: id, jobId });
    client
      .call('posting.reverse', { batchId: id, jobId })
      .then((r) => {
        setReport(r);
        reload();
        onReversed();
      }, (e: unknown) => {
        const refusal = toAppError(e);
        if (refusal.code === 'CANCELLED') setNotice(`Batch ${id}: ${refusal.message}`);
        else setError(refusal);
      })
      .finally(() => setReversing(null));
  };
  return (
    <div className={s.panel}>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {reversing ? (
        <div className={s.toolbar} data-testid="reversal-progress">
          <Text className={s.muted}>{`Reversing batch ${reversing.batchId}…${queued ? ` ${queued}.` : ''}`}</Text>
          {queued ? (
            <Button size="small" icon={<DismissRegular />} onClick={() => void client.call('jobs.cancel', { jobId: reversing.jobId })}>Cancel</Button>
          ) : null}
        </div>
      ) : null}
      {notice ? <Text className={s.muted} data-testid="reversal-notice">{notice}</Text> : null}
      <div className={s.scroll} style={{ maxHeight: 300 }}>
        <table className={s.table} aria-label="Posting batches">
          <thead>
            <tr>
              <th data-num="">Batch</th><th>Status</th><th>Target</th><th>Posted to</th><th data-num="">Movements</th>
              <th data-num="">Entries</th><th data-num="">Lines</th><th>Started</th><th>Finished</th><th />
            </tr>
          </thead>
          <tbody>
            {batches.length === 0 ? <tr><td colSpan={10} className={s.muted}>No batches yet. Post movements on the Post tab.</td></tr> : null}
            {batches.map((b) => (
              <tr key={b.id}>
                <td className={s.num}>{b.id}</td>
                <td><Badge size="small" appearance="tint" color={badgeColor(b)}>{badgeText(b)}</Badge>{b.summarised ? <Badge size="small" appearance="outline" style={{ marginLeft: 4 }}>summary</Badge> : null}</td>
                <td>{targetLabel(b.target)}</td>
                <td>{formatDateTime(b.postedTo)}</td>
                <td className={s.num}>{formatCount(b.movementCount)}</td>
                <td className={s.num}>{formatCount(b.entryCount)}</td>
                <td className={s.num}>{formatCount(b.lineCount)}</td>
                <td>{formatDateTime(b.startedAt)}</td>
                <td>{formatDateTime(b.finishedAt)}</td>
                <td>
                  <Button size="small" appearance="subtle" icon={<DocumentTextRegular />} onClick={() => void open(b.id)}>Report</Button>
                  {b.reversalOf === null && b.reversedBy === null && b.status !== 'running' ? (
                    <Button size="small" appearance="subtle" icon={<ArrowUndoRegular />} disabled={reversing !== null} onClick={() => void ask(b)}>Reverse…</Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report ? <PostingReportView report={report} /> : null}
      <ReverseBatchDialog asked={asked} onConfirm={(a) => reverse(a.batch.id)} onCancel={() => setAsked(null)} />
    </div>
  );
}
