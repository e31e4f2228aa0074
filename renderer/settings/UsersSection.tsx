import { Button, Checkbox, Field, Input, mergeClasses, Text } from '@fluentui/react-components';
import { KeyRegular, PersonAddRegular, PersonProhibitedRegular, PersonAvailableRegular } from '@fluentui/react-icons';
import { useCallback, useRef, useState } from 'react';
import type { UserSummary } from '../../shared/auth';
import type { AppError } from '../../shared/contract/errors';
import { PERMISSIONS, type Permission } from '../../shared/domain';
import { PERMISSION_NAMES } from '../../shared/permission-names';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { toAppError } from '../app/to-app-error';
import { ConfirmUserDisableDialog } from './ConfirmUserDisableDialog';
import { SetUserSecretDialog } from './SetUserSecretDialog';
import { useSectionStyles } from './settings-styles';
import { useInitialLoad } from './use-initial-load';
import { useErrorField } from '../common/error-field';
import { useAuth } from '../auth/auth-context';

const GRANTABLE = PERMISSIONS.filter((p) => p !== 'sign:in');

/**
 * Users and their permissions (administrators only); every change is in the audit log. `myId`: the signed-in user, who
 * cannot disable themself.
 */
export function UsersSection({ myId }: { myId: number }) {
  const styles = useSectionStyles();
  const client = useClient();
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [name, setName] = useState('');
  const [display, setDisplay] = useState('');
  /** The user whose Disable / Enable waits for the confirm. */
  const [confirming, setConfirming] = useState<UserSummary | null>(null);
  /** The user whose password or PIN is being set. */
  const [settingSecret, setSettingSecret] = useState<UserSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Your own password or PIN is set above (Sign-in and lock), which refreshes the sign-in status, not this list: the list
  // reads again whenever who has a password or PIN changes there, so your row's Sign-in never says "none" after it.
  const { status } = useAuth();
  const secrets = status?.users.map((u) => `${u.username}:${u.hasPassword ? 1 : 0}${u.hasPin ? 1 : 0}`).join(' ') ?? '';
  const load = useCallback(async () => {
    try {
      setUsers(await client.call('users.list', {}));
    } catch (e) {
      setError(toAppError(e));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `secrets` is what makes the list read again
  }, [client, secrets]);
  useInitialLoad(load);

  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
      await load();
    } catch (e) {
      setError(toAppError(e));
    }
  };
  // Enter in either field adds the user, once: a second Enter while it is being added sends nothing.
  const adding = useRef(false);
  const addUser = async () => {
    if (adding.current || !name.trim() || !display.trim()) return;
    adding.current = true;
    try {
      await run(async () => {
        await client.call('users.create', { username: name.trim(), displayName: display.trim(), permissions: ['read:stock'] });
        setName('');
        setDisplay('');
      });
    } finally {
      adding.current = false;
    }
  };
  const toggle = (u: UserSummary, p: Permission, on: boolean) =>
    run(() => client.call('users.setPermissions', { username: u.username, permissions: (on ? [...u.permissions, p] : u.permissions.filter((x) => x !== p)) as Permission[] }));

  const setDisabled = (u: UserSummary) => {
    setConfirming(null);
    void run(() => client.call('users.setDisabled', { userId: u.id, disabled: u.active }));
  };

  const errorRoot = useRef<HTMLElement>(null);
  useErrorField(error, errorRoot);
  return (
    <section ref={errorRoot} className={styles.section} aria-labelledby="users-title">
      <div className={styles.heading}>
        <h2 id="users-title" className={styles.h2}>
          Users and permissions
        </h2>
      </div>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <div className={styles.scrollBox} data-testid="users-table-box">
        <table className={mergeClasses(styles.table, styles.inBox)} data-testid="users-table">
          <thead>
            <tr>
              <th className={mergeClasses(styles.th, styles.pinned, styles.pinnedHead)}>User</th>
              <th className={styles.th}>Sign-in</th>
              <th className={styles.th}>Status</th>
              {GRANTABLE.map((p) => (
                <th key={p} className={mergeClasses(styles.th, styles.wrapHead, styles.tick)}>
                  {PERMISSION_NAMES[p]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(users ?? []).map((u) => (
              <tr key={u.id}>
                <td className={mergeClasses(styles.td, styles.whole, styles.pinned)}>
                  {u.displayName} <Text className={styles.note}>({u.username})</Text>
                </td>
                <td className={mergeClasses(styles.td, styles.whole)} data-testid={`user-signin-${u.username}`}>
                  <span className={styles.status}>
                    <Text size={200} wrap={false}>
                      {[u.hasPassword ? 'password' : '', u.hasPin ? 'PIN' : ''].filter(Boolean).join(' + ') || 'none'}
                    </Text>
                    {u.id === myId ? null : (
                      <Button size="small" icon={<KeyRegular />} aria-label={`Set a password or PIN for ${u.username}`} onClick={() => setSettingSecret(u)} data-testid={`user-set-secret-${u.username}`}>
                        Set
                      </Button>
                    )}
                  </span>
                </td>
                <td className={styles.td} data-testid={`user-status-${u.username}`}>
                  <span className={styles.status}>
                    <Text size={200} wrap={false} weight={u.active ? 'regular' : 'semibold'}>
                      {u.active ? 'Active' : 'Disabled'}
                    </Text>
                    <Button
                      size="small"
                      icon={u.active ? <PersonProhibitedRegular /> : <PersonAvailableRegular />}
                      aria-label={`${u.active ? 'Disable' : 'Enable'} ${u.username}`}
                      disabled={u.id === myId}
                      title={u.id === myId ? 'You cannot disable your own user; ask another user manager.' : undefined}
                      onClick={() => setConfirming(u)}
                    >
                      {u.active ? 'Disable' : 'Enable'}
                    </Button>
                  </span>
                </td>
                {GRANTABLE.map((p) => (
                  <td key={p} className={mergeClasses(styles.td, styles.tick)}>
                    <Checkbox aria-label={`${u.username} ${PERMISSION_NAMES[p]}`} checked={u.permissions.includes(p)} onChange={(_, d) => void toggle(u, p, Boolean(d.checked))} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmUserDisableDialog user={confirming} onConfirm={setDisabled} onCancel={() => setConfirming(null)} />
      <SetUserSecretDialog
        user={settingSecret}
        onCancel={() => setSettingSecret(null)}
        onDone={(u, kind) => {
          setSettingSecret(null);
          setNotice(`${u.displayName} (${u.username}) can now sign in with the ${kind === 'pin' ? 'PIN' : 'password'} you set.`);
          void load();
        }}
      />
      {notice ? (
        <Text size={200} role="status" data-testid="users-notice">
          {notice}
        </Text>
      ) : null}
      <form
        className={styles.row}
        aria-label="New user"
        onSubmit={(e) => {
          e.preventDefault();
          void addUser();
        }}
      >
        <Field label="New user name">
          <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="e.g. jsmith" data-testid="user-new-name" />
        </Field>
        <Field label="Full name">
          <Input value={display} onChange={(_, d) => setDisplay(d.value)} data-testid="user-new-display" />
        </Field>
        <Button type="submit" icon={<PersonAddRegular />} disabled={!name.trim() || !display.trim()} data-testid="user-add">
          Add user
        </Button>
        <Text size={200} className={styles.note}>
          A new user can read stock; tick more permissions, then Set their password or PIN (in Sign-in) so they can sign in.
        </Text>
      </form>
    </section>
  );
}
