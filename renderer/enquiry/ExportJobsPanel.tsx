import { formatCount } from '../common/format';
import { Button, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { exportQueuedText, type ExportJobInfo } from '../../shared/enquiry';
import { useJobs } from '../app/jobs-context';
import { useClient, useClientEvent } from '../client';
import { formatMs } from './enquiry-format';
import { SidePanel } from './SidePanel';
import { ExportFileActions } from '../common/ExportFileActions';
import { plural } from '../common/format';

const useStyles = makeStyles({
  job: { display: 'flex', flexDirection: 'column', gap: '4px', padding: '8px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  line: { display: 'flex', justifyContent: 'space-between', gap: '8px', alignItems: 'center' },
  file: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase100, wordBreak: 'break-all', color: tokens.colorNeutralForeground2 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Background Jobs: exports with progress, cancel, and where the finished file is. */
export function ExportJobsPanel({ onClose, version }: { onClose: () => void; version: number }) {
  const s = useStyles();
  const client = useClient();
  const jobs = useJobs();
  const [list, setList] = useState<ExportJobInfo[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    void client.call('enquiry.exports', {}).then(setList, () => undefined);
  }, [client, version, tick]);
  useClientEvent('job.finished', (f) => f.kind === 'export' && setTick((t) => t + 1));
  return (
    <SidePanel title="Background jobs" subtitle="Exports run in the background; you can keep working." onClose={onClose} testId="jobs-panel">
      {list.length === 0 ? <Text className={s.muted}>No exports yet. Filter the movements and choose Export.</Text> : null}
      {list.map((j) => {
        const live = jobs.get(j.jobId);
        const done = live?.progress?.done ?? j.rows;
        const total = live?.progress?.total ?? j.total ?? 0;
        const status = live?.finished ? (live.finished.ok ? 'done' : live.finished.cancelled ? 'cancelled' : 'failed') : j.status;
        return (
          <div key={j.jobId} className={s.job} data-testid="export-job" data-status={status}>
            <div className={s.line}>
              <Text weight="semibold">{j.format.toUpperCase()} export · {status}</Text>
              <Text size={200} className={s.muted}>{formatMs(j.startedAt)}</Text>
            </div>
            <Text size={200}>{j.filterSummary || 'All movements'}</Text>
            {status === 'running' ? (
              <>
                <ProgressBar value={total ? done / total : undefined} />
                <div className={s.line}>
                  <Text size={200} data-testid="export-progress">
                    {exportQueuedText(live?.progress?.phase) ?? `${formatCount(done)} of ${plural(total, 'row')}`}
                  </Text>
                  <Button size="small" onClick={() => void client.call('jobs.cancel', { jobId: j.jobId }).then(() => setTick((t) => t + 1))}>
                    Cancel
                  </Button>
                </div>
              </>
            ) : (
              // Done: the rows the file holds (the job's record, refetched on job.finished), never a throttled progress figure.
              <Text size={200} data-testid="export-rows">{status === 'done' && j.status === 'done' ? plural(j.rows, 'row') : status === 'done' ? 'Finishing…' : (live?.finished?.message ?? j.message)}</Text>
            )}
            {status === 'done' ? <span className={s.file} data-testid="export-file">{j.fileName}</span> : null}
            {status === 'done' && j.status === 'done' ? <ExportFileActions jobId={j.jobId} /> : null}
          </div>
        );
      })}
    </SidePanel>
  );
}
