import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, mergeClasses } from '@fluentui/react-components';
import { ShieldErrorRegular } from '@fluentui/react-icons';
import { useCallback, useState } from 'react';
import type { AuthStatus } from '../../shared/auth';
import type { AppError } from '../../shared/contract/errors';
import type { BackupFile } from '../../shared/safety';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { toAppError } from '../app/to-app-error';
import { fileName, formatBytes, formatWhen } from '../settings/backup-format';
import { useGateStyles } from './auth-styles';
import { useInitialLoad } from '../settings/use-initial-load';

/** Safe mode: the ledger failed its start-up checks. Nothing is written; restore a backup or export a copy. */
export function SafeModeScreen({ status }: { status: AuthStatus }) {
  const styles = useGateStyles();
  const client = useClient();
  const info = status.safeMode!;
  const [files, setFiles] = useState<BackupFile[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [exportTo, setExportTo] = useState('');

  const load = useCallback(async () => {
    try {
      setFiles(await client.call('backups.files', {}));
    } catch (e) {
      setError(toAppError(e));
    }
  }, [client]);
  useInitialLoad(load);
  useClientEvent('job.finished', (f) => {
    if (f.kind === 'backup') setNotice(f.message);
  });

  const restore = async (file: string) => {
    try {
      setNotice((await client.call('backups.restore', { file })).message);
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const exportCopy = async () => {
    try {
      await client.call('backups.run', exportTo.trim() ? { toFolder: exportTo.trim() } : {});
      setNotice('Exporting a copy…');
    } catch (e) {
      setError(toAppError(e));
    }
  };

  return (
    <div className={styles.page}>
      <section className={mergeClasses(styles.card, styles.wide)} aria-labelledby="safe-title" data-testid="safe-mode">
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden>
            <ShieldErrorRegular />
          </span>
          <h1 id="safe-title" className={styles.title}>
            Safe mode — nothing will be written
          </h1>
        </div>
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>The ledger did not pass its start-up checks.</MessageBarTitle>
            {info.message}
          </MessageBarBody>
        </MessageBar>
        {info.problems.length ? (
          <ul className={styles.problems} aria-label="Problems found">
            {info.problems.slice(0, 12).map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        {notice ? (
          <MessageBar intent="info">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        ) : null}
        {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
        <Text weight="semibold">Restore a backup</Text>
        {files === null ? (
          <Spinner size="tiny" label="Reading the backup folder…" labelPosition="after" />
        ) : files.length === 0 ? (
          <Text size={200} className={styles.note}>
            No backups were found in the backup folder. Export a copy for support, or restore with the stockbook command.
          </Text>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th className={styles.th}>Backup file</th>
                <th className={styles.th}>Made</th>
                <th className={mergeClasses(styles.th, styles.num)}>Size</th>
                <th className={styles.th} />
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.path}>
                  <td className={mergeClasses(styles.td, styles.mono)}>{fileName(f.path)}</td>
                  <td className={styles.td}>{formatWhen(f.modifiedAt)}</td>
                  <td className={mergeClasses(styles.td, styles.num)}>{formatBytes(f.bytes)}</td>
                  <td className={styles.td}>
                    <Button size="small" onClick={() => void restore(f.path)}>
                      Restore at next start
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Text weight="semibold">Export a copy for support</Text>
        <div className={styles.actions} style={{ justifyContent: 'flex-start' }}>
          <Field label="Folder (empty: the backup folder)" style={{ flexGrow: 1 }}>
            <Input value={exportTo} onChange={(_, d) => setExportTo(d.value)} placeholder="C:\Support" />
          </Field>
          <Button onClick={() => void exportCopy()} style={{ alignSelf: 'flex-end' }}>
            Export copy
          </Button>
        </div>
      </section>
    </div>
  );
}
