import { Field, Input, Switch, Text } from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { DesktopUpdateSettings, DesktopUpdateState } from '../../shared/desktop';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { useErrorField } from '../common/error-field';
import { Waiting } from '../common/Waiting';
import { useSectionStyles } from './settings-styles';

/**
 * Updates (desktop app only): off until an administrator turns them on and gives the update server's address. Stockbook
 * then looks for a new version and asks before downloading and before installing; it never installs during a posting.
 */
export function UpdatesSection({ canManage }: { canManage: boolean }) {
  const saveRefusal = useRefusal('Changing the update settings', 'manage:settings');
  const checkRefusal = useRefusal('Looking for updates', 'manage:settings');
  const styles = useSectionStyles();
  const client = useClient();
  const [state, setState] = useState<(DesktopUpdateSettings & DesktopUpdateState) | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const root = useRef<HTMLElement>(null);
  useErrorField(error, root);

  useEffect(() => {
    client.call('desktop.updateSettings', {}).then(
      (s) => {
        setState(s);
        setEnabled(s.enabled);
        setUrl(s.url);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client]);

  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
      setError(null);
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const save = () =>
    run(async () => {
      const s = await client.call('desktop.saveUpdateSettings', { enabled, url: url.trim() });
      setState(s);
    });
  const check = () =>
    run(async () => {
      const s = await client.call('desktop.checkForUpdates', {});
      setState((old) => (old ? { ...old, ...s } : old));
    });
  const changed = state !== null && (enabled !== state.enabled || url.trim() !== state.url);

  return (
    <section ref={root} className={styles.section} aria-labelledby="updates-title">
      <div className={styles.heading}>
        <h2 id="updates-title" className={styles.h2}>
          Updates
        </h2>
      </div>
      {error ? <ErrorBar error={error} title="The update settings were not changed." onDismiss={() => setError(null)} /> : null}
      {state === null ? (
        error ? null : <Waiting label="Loading the update settings…" />
      ) : (
        <>
          <Text size={200}>
            Stockbook looks for a new version only when updates are on. It asks you before it downloads one and again before it installs it, and
            never installs while a finance posting runs.
          </Text>
          <div className={styles.row}>
            <Switch label="Look for updates" checked={enabled} disabled={!canManage} onChange={(_, d) => setEnabled(d.checked)} />
            <Field label="Update server address" hint="https:// address your administrator gives you" className={styles.grow}>
              <Input value={url} disabled={!canManage} placeholder="https://updates.example.com/stockbook/" onChange={(_, d) => setUrl(d.value)} />
            </Field>
            <PermissionButton refusal={saveRefusal} size="small" appearance="primary" disabled={!changed} onClick={() => void save()}>
              Save
            </PermissionButton>
            <PermissionButton refusal={checkRefusal} size="small" icon={<ArrowSyncRegular />} disabled={!state.enabled || changed} onClick={() => void check()}>
              Check now
            </PermissionButton>
          </div>
          <Text size={200} data-testid="update-state">
            {state.message}
          </Text>
          {saveRefusal === null ? null : <Text size={200}>{saveRefusal}</Text>}
        </>
      )}
    </section>
  );
}
