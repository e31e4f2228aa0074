import { Badge, Button, Field, Input, Text, Tooltip, mergeClasses } from '@fluentui/react-components';
import { ArrowCounterclockwiseRegular, CheckmarkCircleRegular, DatabaseArrowUpRegular, WarningRegular } from '@fluentui/react-icons';
import { useCallback, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { BackupStatus } from '../../shared/safety';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { toAppError } from '../app/to-app-error';
import { fileName, formatAge, formatBytes, formatWhen, REASON_LABEL } from './backup-format';
import { useSectionStyles } from './settings-styles';
import { useInitialLoad } from './use-initial-load';
import { TimeField } from '../common/DateTimeField';
import { Waiting } from '../common/Waiting';

/** Backups: the last good backup (warning when older than two days), back up now, folder/time/retention, restore. */
export function BackupsSection({ canManage }: { canManage: boolean }) {
  const backUpRefusal = useRefusal('Backing up', 'manage:data');
  const saveRefusal = useRefusal('Changing the backup settings', 'manage:data');
  const styles = useSectionStyles();
  const client = useClient();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [folder, setFolder] = useState('');
  const [dailyAt, setDailyAt] = useState('');
  const [keep, setKeep] = useState({ daily: '', weekly: '', monthly: '' });

  const load = useCallback(async () => {
    try {
      const s = await client.call('backups.status', {});
      setStatus(s);
      setFolder(s.settings.folder);
      setDailyAt(s.settings.dailyAt);
      setKeep({ daily: String(s.settings.retention.daily), weekly: String(s.settings.retention.weekly), monthly: String(s.settings.retention.monthly) });
      setError(null);
    } catch (e) {
      setError(toAppError(e));
    }
  }, [client]);
  useInitialLoad(load);
  useClientEvent('backup.finished', () => void load());
  useClientEvent('job.finished', (f) => {
    if (f.kind !== 'backup') return;
    setRunning(false);
    setNotice(f.message);
    void load();
  });

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
    } catch (e) {
      setError(toAppError(e));
      setRunning(false);
    }
  };
  const backUpNow = () =>
    act(async () => {
      setRunning(true);
      setNotice(null);
      await client.call('backups.run', {});
    });
  const save = () =>
    act(async () => {
      setStatus(
        await client.call('backups.configure', {
          folder: folder.trim(),
          dailyAt,
          retention: { daily: Number(keep.daily), weekly: Number(keep.weekly), monthly: Number(keep.monthly) },
        }),
      );
      setNotice('Backup settings saved.');
    });
  const restore = (backupId: number, name: string) => {
    if (!window.confirm(`Restore ${name} when Stockbook next starts? The current ledger file is kept aside first.`)) return;
    void act(async () => setNotice((await client.call('backups.restore', { backupId })).message));
  };

  const last = status?.lastGood ?? null;
  return (
    <section className={styles.section} aria-labelledby="backups-title">
      <div className={styles.heading}>
        <h2 id="backups-title" className={styles.h2}>
          Backups
        </h2>
        {status ? (
          status.stale ? (
            <Badge appearance="filled" color="warning" icon={<WarningRegular />} data-testid="backup-stale">
              {last ? 'Last backup is over two days old' : 'No backup yet'}
            </Badge>
          ) : (
            <Badge appearance="tint" color="success" icon={<CheckmarkCircleRegular />}>
              Backed up
            </Badge>
          )
        ) : null}
      </div>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {notice ? <Text size={200} data-testid="backup-notice">{notice}</Text> : null}
      {!status ? (
        error ? null : <Waiting label="Loading backups…" testId="backups-waiting" />
      ) : (
        <>
          <div className={styles.summary} data-testid="last-backup">
            <DatabaseArrowUpRegular fontSize={20} />
            <div className={styles.grow}>
              {last ? (
                <>
                  <Text weight="semibold">Last good backup {formatAge(last.startedAt)}</Text>{' '}
                  <Text size={200} className={styles.note}>
                    {formatWhen(last.startedAt)} · {REASON_LABEL[last.reason]} · {formatBytes(last.bytes)} · {last.message}
                  </Text>
                </>
              ) : (
                <Text weight="semibold">No good backup has been made of this ledger.</Text>
              )}
              {status.pendingRestore ? (
                <div>
                  <Text size={200}>Restore of {fileName(status.pendingRestore)} waits for the next start of Stockbook.</Text>
                </div>
              ) : null}
            </div>
            <PermissionButton refusal={backUpRefusal} appearance="primary" size="small" disabled={running} onClick={() => void backUpNow()}>
              {running ? 'Backing up…' : 'Back up now'}
            </PermissionButton>
          </div>
          <div className={styles.row}>
            <Field label="Backup folder (a network share or synced folder is best)" className={styles.grow}>
              <Input value={folder} onChange={(_, d) => setFolder(d.value)} disabled={!canManage} className={styles.mono} />
            </Field>
            <Field label="Daily at">
              <TimeField value={dailyAt} onChange={setDailyAt} disabled={!canManage} />
            </Field>
            {(['daily', 'weekly', 'monthly'] as const).map((k) => (
              <Field key={k} label={`Keep ${k}`}>
                <Input className={styles.small} type="number" min={0} value={keep[k]} onChange={(_, d) => setKeep({ ...keep, [k]: d.value })} disabled={!canManage} />
              </Field>
            ))}
            <PermissionButton refusal={saveRefusal} onClick={() => void save()}>
              Save
            </PermissionButton>
          </div>
          <table className={styles.table} data-testid="backup-list">
            <thead>
              <tr>
                <th className={styles.th}>Made</th>
                <th className={styles.th}>Kind</th>
                <th className={styles.th}>Check</th>
                <th className={styles.th}>File</th>
                <th className={mergeClasses(styles.th, styles.num)}>Size</th>
                <th className={styles.th} />
              </tr>
            </thead>
            <tbody>
              {status.recent.length === 0 ? (
                <tr>
                  <td className={styles.td} colSpan={6}>
                    <Text size={200} className={styles.note}>
                      No backups yet.
                    </Text>
                  </td>
                </tr>
              ) : null}
              {status.recent.slice(0, 12).map((b) => (
                <tr key={b.id} data-testid="backup-row">
                  <td className={mergeClasses(styles.td, styles.num)}>{formatWhen(b.startedAt)}</td>
                  <td className={styles.td}>{REASON_LABEL[b.reason]}</td>
                  <td className={styles.td}>
                    <Tooltip content={b.message ?? ''} relationship="description">
                      <Badge size="small" appearance="tint" color={b.ok ? 'success' : 'danger'}>
                        {b.ok ? (b.removedAt ? 'ok · pruned' : 'ok') : 'failed'}
                      </Badge>
                    </Tooltip>
                  </td>
                  <td className={mergeClasses(styles.td, styles.mono)}>{fileName(b.path)}</td>
                  <td className={mergeClasses(styles.td, styles.num)}>{b.ok ? formatBytes(b.bytes) : '—'}</td>
                  <td className={styles.td}>
                    {b.ok && !b.removedAt && canManage ? (
                      <Button size="small" appearance="subtle" icon={<ArrowCounterclockwiseRegular />} onClick={() => restore(b.id, fileName(b.path))}>
                        Restore…
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
