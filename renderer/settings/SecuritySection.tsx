import { Badge, Button, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { LockClosedRegular, SignOutRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { SecretKind } from '../../shared/auth';
import type { AppError } from '../../shared/contract/errors';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { toAppError } from '../app/to-app-error';
import { hrefFor } from '../app/routes';
import { useAuth } from '../auth/auth-context';
import { useSectionStyles } from './settings-styles';
import { useErrorField } from '../common/error-field';

/** Where the user menu's "Change password or PIN" leads: Settings, at this section, its new password field focused. */
export const CHANGE_SECRET_HREF = hrefFor('settings', { section: 'security' });

/** Sign-in and lock: your password or PIN, the idle lock time, lock now, sign out. */
export function SecuritySection({ canManageUsers }: { canManageUsers: boolean }) {
  const idleRefusal = useRefusal('Changing when Stockbook locks', 'manage:users');
  const styles = useSectionStyles();
  const client = useClient();
  const { status, setStatus, lock, signOut, refresh, lockRefusal } = useAuth();
  const [kind, setKind] = useState<SecretKind>('password');
  const [secret, setSecret] = useState('');
  /** The new secret typed again: a typo in the first password would otherwise lock its owner out once sign-in is on. */
  const [again, setAgain] = useState('');
  const [current, setCurrent] = useState('');
  const [idle, setIdle] = useState(String(status?.idleLockMinutes ?? 15));
  const [error, setError] = useState<AppError | null>(null);
  const errorRoot = useRef<HTMLElement>(null);
  useErrorField(error, errorRoot);
  const [notice, setNotice] = useState<string | null>(null);
  const newSecret = useRef<HTMLInputElement>(null);
  const shown = Boolean(status?.user);
  useEffect(() => {
    const go = () => {
      if (location.hash !== CHANGE_SECRET_HREF) return;
      errorRoot.current?.scrollIntoView({ block: 'start' });
      newSecret.current?.focus();
    };
    go();
    window.addEventListener('hashchange', go);
    return () => window.removeEventListener('hashchange', go);
  }, [shown]);
  if (!status?.user) return null;
  const me = status.users.find((u) => u.username === status.user?.username);
  const hasCurrent = kind === 'pin' ? me?.hasPin : me?.hasPassword;
  const word = kind === 'pin' ? 'PIN' : 'password';
  const mismatch = again !== '' && again !== secret;

  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
      setError(null);
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const saveSecret = () =>
    run(async () => {
      if (!secret || secret !== again) return;
      await client.call('users.setSecret', { username: status.user!.username, kind, secret, ...(hasCurrent && !canManageUsers ? { currentSecret: current } : {}) });
      setSecret('');
      setAgain('');
      setCurrent('');
      setNotice(hasCurrent ? `Your ${word} was changed.` : `Your ${word} was set: from now on you sign in with it.`);
      await refresh();
    });
  const saveIdle = () =>
    run(async () => {
      setStatus(await client.call('auth.configure', { idleLockMinutes: Number(idle) }));
      setNotice(`Stockbook now locks after ${idle} minutes without input.`);
    });

  return (
    <section ref={errorRoot} className={styles.section} aria-labelledby="security-title">
      <div className={styles.heading}>
        <h2 id="security-title" className={styles.h2}>
          Sign-in and lock
        </h2>
        {status.openAccess ? (
          <Badge appearance="filled" color="warning" data-testid="open-access">
            No password set
          </Badge>
        ) : null}
      </div>
      {status.openAccess ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            No user has a password or PIN yet, so anyone who can open Stockbook works as the Administrator. Set a password below: from then on everyone signs in.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {notice ? <Text size={200}>{notice}</Text> : null}
      <div className={styles.row}>
        <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => setKind(d.value as SecretKind)} aria-label="Secret kind">
          <Radio value="password" label="Password" />
          <Radio value="pin" label="PIN" />
        </RadioGroup>
        {hasCurrent && !canManageUsers ? (
          <Field label={`Current ${kind === 'pin' ? 'PIN' : 'password'}`}>
            <Input type="password" value={current} onChange={(_, d) => setCurrent(d.value)} />
          </Field>
        ) : null}
        <Field label={`New ${kind === 'pin' ? 'PIN (4–12 digits)' : 'password (8+ characters)'}`}>
          <Input ref={newSecret} type="password" value={secret} onChange={(_, d) => setSecret(d.value)} autoComplete="new-password" />
        </Field>
        <Field label={`The same ${word} again`} validationState={mismatch ? 'error' : 'none'} validationMessage={mismatch ? `The two ${word}s differ: type the same ${word} twice.` : undefined}>
          <Input type="password" value={again} onChange={(_, d) => setAgain(d.value)} autoComplete="new-password" />
        </Field>
        <Button onClick={() => void saveSecret()} disabled={!secret || secret !== again}>
          Set {word}
        </Button>
      </div>
      <div className={styles.row}>
        <Field label="Lock after (minutes without input)">
          <Input className={styles.small} type="number" min={1} max={480} value={idle} onChange={(_, d) => setIdle(d.value)} disabled={!canManageUsers} />
        </Field>
        <PermissionButton refusal={idleRefusal} onClick={() => void saveIdle()} data-testid="idle-save">
          Save
        </PermissionButton>
        <span className={styles.grow} />
        <PermissionButton icon={<LockClosedRegular />} refusal={lockRefusal ?? null} data-testid="settings-lock" onClick={() => void run(lock)}>
          Lock now
        </PermissionButton>
        <PermissionButton icon={<SignOutRegular />} refusal={lockRefusal ?? null} data-testid="settings-sign-out" onClick={() => void run(signOut)}>
          Sign out
        </PermissionButton>
      </div>
    </section>
  );
}
