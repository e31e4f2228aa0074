import { Button, ProgressBar, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissRegular, ErrorCircleFilled, InfoFilled } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useClient } from '../client';
import { jobPercent, jobTitle, useJobs, type JobState } from './jobs-context';

/** How long a finished job's outcome stays in the header. */
const SHOW_FINISHED_MS = 8_000;

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: '8px', minWidth: 0 },
  text: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: '320px' },
  bar: { width: '140px' },
  percent: { fontVariantNumeric: 'tabular-nums', minWidth: '3.5em', textAlign: 'right' },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  cancelled: { color: tokens.colorNeutralForeground3 },
});

/** The newest running job's progress, or the outcome of a job that just finished. */
export function JobIndicator() {
  const styles = useStyles();
  const client = useClient();
  const jobs = useJobs();
  const now = useNow(1_000);

  const list = [...jobs.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  const running = list.find((j) => !j.finished);
  const recent = list.find((j) => j.finished && now - j.updatedAt < SHOW_FINISHED_MS);
  const job: JobState | undefined = running ?? recent;
  if (!job) return null;

  if (job.finished) {
    const f = job.finished;
    const icon = f.ok ? <CheckmarkCircleFilled className={styles.ok} /> : f.cancelled ? <InfoFilled className={styles.cancelled} /> : <ErrorCircleFilled className={styles.failed} />;
    const fallback = f.ok ? 'finished' : f.cancelled ? 'cancelled' : 'failed';
    return (
      <div className={styles.root} role="status" data-testid="job-indicator">
        {icon}
        <Text size={200} className={styles.text} title={f.message}>
          {jobTitle(f.kind)}: {f.message || fallback}
        </Text>
      </div>
    );
  }

  const p = job.progress;
  const fraction = jobPercent(p);
  const label = `${jobTitle(job.kind)}${p?.phase ? ` · ${p.phase}` : ''}`;
  return (
    <div className={styles.root} role="status" data-testid="job-indicator">
      <Text size={200} className={styles.text} title={label}>
        {label}
      </Text>
      <ProgressBar className={styles.bar} thickness="medium" value={fraction ?? undefined} aria-label={`${label} progress`} />
      <Text size={200} className={styles.percent}>
        {fraction === null ? '' : `${Math.floor(fraction * 100)}%`}
      </Text>
      <Tooltip content="Cancel this job" relationship="label">
        <Button
          size="small"
          appearance="subtle"
          icon={<DismissRegular />}
          onClick={() => {
            client.call('jobs.cancel', { jobId: job.jobId }).catch((e: unknown) => console.error('Could not cancel the job', e));
          }}
        />
      </Tooltip>
    </div>
  );
}

/** Date.now(), refreshed every `intervalMs`, so finished jobs expire from view. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
