import { Button, ProgressBar, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { JobFinished } from '../../shared/domain';
import type { AppError } from '../../shared/contract/errors';
import { exportQueuedText, type ExportJobInfo } from '../../shared/enquiry';
import { useAppInfo } from '../app/app-info-context';
import { useJob } from '../app/jobs-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from './ErrorBar';
import { ExportFileActions } from './ExportFileActions';
import { downloadExport, exportName, startExport, type ExportRequest } from './export-start';
import { formatCount } from './format';

const useStyles = makeStyles({
  root: { display: 'inline-flex', alignItems: 'center', gap: '8px', minWidth: 0, flexWrap: 'wrap' },
  bar: { width: '100px' },
  done: { color: tokens.colorNeutralForeground2, whiteSpace: 'nowrap' },
});

/**
 * Export for a list: a background job with progress and Cancel; when it is done, how many rows the file holds and,
 * in the desktop app, Open and Show in folder (the browser downloads the file itself).
 */
export function ExportButton({ request, name, disabled, testId = 'list-export' }: { request: ExportRequest | null; name: string; disabled?: boolean; testId?: string }) {
  const s = useStyles();
  const client = useClient();
  const mode = useAppInfo().info?.mode;
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<ExportJobInfo | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const job = useJob(jobId);

  /** Resolves with the job's job.finished, even when it arrives before exports.start has answered (a short list). */
  const finishedOf = (): { wait: (jobId: string) => Promise<JobFinished>; off: () => void } => {
    const seen = new Map<string, JobFinished>();
    const waiting = new Map<string, (f: JobFinished) => void>();
    const off = client.on('job.finished', (f) => {
      const w = waiting.get(f.jobId);
      if (w) w(f);
      else seen.set(f.jobId, f);
    });
    const wait = (id: string) => new Promise<JobFinished>((resolve) => {
      const early = seen.get(id);
      if (early) resolve(early);
      else waiting.set(id, resolve);
    });
    return { wait, off };
  };

  const start = async () => {
    if (!request) return;
    setError(null);
    setResult(null);
    const finished = finishedOf();
    try {
      const info = await startExport(client, mode, request, exportName(name));
      if (!info) return;
      setJobId(info.jobId);
      const f = await finished.wait(info.jobId);
      setJobId(null);
      if (!f.ok) {
        if (!f.cancelled) setError(toAppError(new Error(f.message)));
        return;
      }
      // The count shown is what the file holds (the job's own record, not the last progress report).
      const done = await client.call('exports.job', { jobId: info.jobId });
      setResult(done);
      if (done && mode !== 'electron') await downloadExport(client, done.jobId);
    } catch (e) {
      setJobId(null);
      setError(toAppError(e));
    } finally {
      finished.off();
    }
  };

  const running = jobId !== null;
  const p = job?.progress;
  return (
    <span className={s.root} data-testid={testId}>
      <Tooltip content={mode === 'electron' ? 'Save this list as a CSV file (you choose where)' : 'Download this list as a CSV file'} relationship="description">
        <Button size="small" icon={<ArrowDownloadRegular />} disabled={disabled || !request || running} onClick={() => void start()} data-testid={`${testId}-button`}>
          Export
        </Button>
      </Tooltip>
      {running ? (
        <>
          <ProgressBar className={s.bar} value={p && p.total ? p.done / p.total : undefined} aria-label="Export progress" />
          {exportQueuedText(p?.phase) ? <Text size={200} data-testid={`${testId}-queued`}>{exportQueuedText(p?.phase)}</Text> : null}
          <Button size="small" appearance="subtle" onClick={() => void client.call('jobs.cancel', { jobId })}>Cancel</Button>
        </>
      ) : null}
      {result ? (
        <>
          <Text size={200} className={s.done} data-testid={`${testId}-done`} data-rows={result.rows} title={result.fileName}>
            {formatCount(result.rows)} rows exported
          </Text>
          <ExportFileActions jobId={result.jobId} />
        </>
      ) : null}
      {error ? <ErrorBar error={error} title="The export did not finish." onDismiss={() => setError(null)} /> : null}
    </span>
  );
}
