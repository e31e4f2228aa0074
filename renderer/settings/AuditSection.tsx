import { Button, Text, mergeClasses } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { useCallback, useState } from 'react';
import type { AuditEntry } from '../../shared/auth';
import type { AppError } from '../../shared/contract/errors';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { toAppError } from '../app/to-app-error';
import { formatWhen } from './backup-format';
import { useSectionStyles } from './settings-styles';
import { useInitialLoad } from './use-initial-load';

const describe = (e: AuditEntry) =>
  Object.entries(e.detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');

/** The append-only audit log: sign-ins, setting and permission changes, backups and restores. */
export function AuditSection() {
  const styles = useSectionStyles();
  const client = useClient();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    try {
      setEntries(await client.call('audit.list', { limit: 50 }));
    } catch (e) {
      setError(toAppError(e));
    }
  }, [client]);
  useInitialLoad(load);
  useClientEvent('backup.finished', () => void load());

  return (
    <section className={styles.section} aria-labelledby="audit-title">
      <div className={styles.heading}>
        <h2 id="audit-title" className={styles.h2}>
          Audit log
        </h2>
        <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={() => void load()}>
          Refresh
        </Button>
      </div>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <table className={styles.table} data-testid="audit-table">
        <thead>
          <tr>
            <th className={styles.th}>When</th>
            <th className={styles.th}>Who</th>
            <th className={styles.th}>What</th>
            <th className={styles.th}>Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <td className={mergeClasses(styles.td, styles.num)}>{formatWhen(e.at)}</td>
              <td className={mergeClasses(styles.td, styles.whole)}>{e.username}</td>
              <td className={mergeClasses(styles.td, styles.whole)}>{e.action}</td>
              <td className={mergeClasses(styles.td, styles.mono)}>
                <Text size={100}>{describe(e)}</Text>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
