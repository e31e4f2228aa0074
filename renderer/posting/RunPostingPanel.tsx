import { Button, ProgressBar, Switch, Text } from '@fluentui/react-components';
import { DismissRegular, SendRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { PostingPreview, PostingReport } from '../../shared/posting';
import { jobPercent, useJob } from '../app/jobs-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount, formatDateTime, plural } from '../common/format';
import { ConfirmPostingDialog } from './ConfirmPostingDialog';
import { PostingReportView } from './PostingReportView';
import { usePostingStyles } from './posting-styles';
import { clientReads, finishedRunReport } from './run-report';
import { useCompany } from '../company/company-context';
import { endOfTodayInput, targetKey, type TargetKind } from './target-key';
import { TargetPicker } from './TargetPicker';
import { postBlockedReason } from './post-blocked';
import { useAppInfo } from '../app/app-info-context';
import { readTarget, rememberTarget, targetMemoryKey } from './target-memory';
import { DateTimeField } from '../common/DateTimeField';
import { useErrorField } from '../common/error-field';

/** Choose the date, target and summarised; run with progress and cancel; read the report. */
/**
 * `version` changes when the ledger's postable movements changed elsewhere in this window (a batch reversed), and
 * `shown` when the tab is shown again: either reads the preview again, so the count is never a stale one.
 */
export function RunPostingPanel({ onPosted, version, shown }: { onPosted: () => void; version: number; shown: boolean }) {
  const s = usePostingStyles();
  const client = useClient();
  const { settings } = useCompany();
  /** A local date and time in the company's time zone, to the second; main reads it there. */
  const [to, setTo] = useState(() => endOfTodayInput(settings.timeZone));
  /** The text in "Post movements up to" is not a date and time: `to` is not what it shows, so Post… waits. */
  const [toInvalid, setToInvalid] = useState(false);
  // The finance system last posted to on this ledger (target-memory.ts); a run started remembers its own.
  const { info } = useAppInfo();
  const memory = info ? targetMemoryKey(info) : null;
  const [kind, setKind] = useState<TargetKind>(() => readTarget(memory).kind);
  const [path, setPath] = useState(() => readTarget(memory).path);
  const [summarised, setSummarised] = useState(false);
  const [preview, setPreview] = useState<PostingPreview | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [report, setReport] = useState<PostingReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  /** The preview the user is asked to confirm; only its "Post N movements" starts the run. */
  const [confirming, setConfirming] = useState<PostingPreview | null>(null);
  const job = useJob(jobId);
  const validTo = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(to);

  useEffect(() => {
    if (!validTo || !shown) return;
    let live = true;
    client.call('posting.preview', { to, target: 'builtin', summarised: false }).then((p) => live && setPreview(p), (e: unknown) => live && setError(toAppError(e)));
    return () => {
      live = false;
    };
  }, [client, to, validTo, job?.finished, version, shown]);

  const finished = job?.finished ?? null;
  useEffect(() => {
    if (!finished) return;
    // The run's own batch; while it still reads as running it shows as running (figures so far), never as final.
    const moved = new AbortController();
    finishedRunReport(clientReads(client), finished, setReport, moved.signal).then((r) => {
      if (moved.signal.aborted) return;
      if (r) setReport(r);
      onPosted();
    }, (e: unknown) => !moved.signal.aborted && setError(toAppError(e)));
    return () => moved.abort();
  }, [client, finished, onPosted]);

  /** Post: first ask main what exactly would be posted, and show it for confirmation. */
  const review = () => {
    setError(null);
    client.call('posting.preview', { to, target: targetKey(kind, path), summarised }).then(setConfirming, (e: unknown) => setError(toAppError(e)));
  };
  const start = (p: PostingPreview) => {
    setConfirming(null);
    setReport(null);
    client
      .call('posting.start', { to: p.to, target: p.target, summarised: p.summarised, expectedMovements: p.unposted })
      .then((r) => {
        setJobId(r.jobId);
        rememberTarget(memory, { kind, path });
      }, (e: unknown) => setError(toAppError(e)));
  };
  const running = job !== null && job.finished === null;
  const pct = jobPercent(job?.progress ?? null);
  /** Why Post… is off, said beside it (it was off without a word). */
  const blocked = postBlockedReason({ running, validTo, toInvalid, kind, path });

  const errorRoot = useRef<HTMLDivElement>(null);
  useErrorField(error, errorRoot);
  return (
    <div ref={errorRoot} className={s.panel}>
      <div className={s.toolbar}>
        <div className={s.field}>
          <label className={s.label} htmlFor="posting-to">Post movements up to</label>
          <DateTimeField mode="datetime" seconds id="posting-to" value={to} onChange={setTo} onInvalidChange={setToInvalid} />
        </div>
        <TargetPicker kind={kind} path={path} onKind={setKind} onPath={setPath} />
        <Switch label="Summarised (one line per account per day per type)" checked={summarised} onChange={(_, d) => setSummarised(d.checked)} />
        <Button appearance="primary" size="small" icon={<SendRegular />} disabled={blocked !== null} aria-describedby={blocked ? 'post-blocked' : undefined} onClick={review}>
          Post…
        </Button>
        {blocked ? <Text id="post-blocked" className={s.muted} data-testid="post-blocked">{blocked}</Text> : null}
        {running ? (
          <Button size="small" icon={<DismissRegular />} onClick={() => void client.call('jobs.cancel', { jobId: jobId! })}>Cancel</Button>
        ) : null}
      </div>
      <Text className={s.muted} data-testid="posting-preview">
        {preview
          ? `${plural(preview.unposted, 'unposted movement')} up to ${formatDateTime(preview.to)}` +
            (preview.unpostedValueCredits ? ` and ${plural(preview.unpostedValueCredits, 'value-only credit')}` : '') +
            (preview.firstAt ? ` (from ${formatDateTime(preview.firstAt)} to ${formatDateTime(preview.lastAt)})` : '') +
            '.'
          : 'Counting unposted movements…'}{' '}
        Other users may keep working while posting runs; each chunk commits whole, so a cancelled or failed run resumes where it stopped.
      </Text>
      {job ? (
        <div data-testid="posting-progress">
          <ProgressBar value={pct ?? undefined} thickness="large" />
          <Text className={s.muted}>
            {job.finished
              ? job.finished.message
              : `${job.progress?.phase ?? 'starting'}: ${formatCount(job.progress?.done ?? 0)} of ${plural(job.progress?.total ?? 0, 'movement')}`}
          </Text>
        </div>
      ) : null}
      <ConfirmPostingDialog preview={confirming} onConfirm={start} onCancel={() => setConfirming(null)} />
      {error ? <ErrorBar error={error} title="Posting could not run." multiline onDismiss={() => setError(null)} /> : null}
      {report ? <PostingReportView report={report} /> : null}
    </div>
  );
}
