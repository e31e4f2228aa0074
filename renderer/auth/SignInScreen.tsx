import { Button, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Select, Text } from '@fluentui/react-components';
import { BoxMultipleFilled, LockClosedRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import type { AuthStatus, SecretKind } from '../../shared/auth';
import type { AppError } from '../../shared/contract/errors';
import { useClient } from '../client';
import { toAppError } from '../app/to-app-error';
import { useGateStyles } from './auth-styles';

/**
 * Sign-in, and the lock screen when the session is locked (same form; the locked user is chosen). On this computer the
 * users are listed; on a Stockbook server the name is typed (a connection from the network is never told who the users are).
 */
export function SignInScreen({ status, onStatus, notice = null }: { status: AuthStatus; onStatus: (s: AuthStatus) => void; notice?: string | null }) {
  const styles = useGateStyles();
  const client = useClient();
  const users = status.users.filter((u) => u.hasPassword || u.hasPin);
  const [username, setUsername] = useState(status.user?.username ?? users[0]?.username ?? '');
  const chosen = users.find((u) => u.username === username);
  const [kind, setKind] = useState<SecretKind>(chosen && !chosen.hasPassword ? 'pin' : 'password');
  const typed = status.network;
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const sent = secret;
    try {
      onStatus(await client.call('auth.signIn', { username, kind, secret: sent }));
    } catch (err) {
      setError(toAppError(err));
      // The refused secret is cleared; one typed while the answer was on its way is the user's next try, and stays.
      setSecret((now) => (now === sent ? '' : now));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.page}>
      <form className={styles.card} onSubmit={(e) => void submit(e)} aria-labelledby="signin-title" data-testid="sign-in">
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden>
            {status.locked ? <LockClosedRegular /> : <BoxMultipleFilled />}
          </span>
          <h1 id="signin-title" className={styles.title}>
            {status.locked ? 'Stockbook is locked' : 'Sign in to Stockbook'}
          </h1>
        </div>
        {/* Why the server signed this window out comes first: it is the news, and what to do. */}
        {notice && !error ? (
          <MessageBar intent="warning" layout="multiline" data-testid="signed-out-bar">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        ) : null}
        <Text size={200} className={styles.note}>
          {status.locked
            ? `Locked after ${status.idleLockMinutes} minutes without input, or on request. Enter your password or PIN to continue.`
            : typed
              ? 'Type your user name and your password or PIN.'
              : 'Choose your name and enter your password or PIN.'}
        </Text>
        {typed ? (
          <Field label="User name" required>
            <Input
              value={username}
              onChange={(_, d) => setUsername(d.value.trim())}
              autoComplete="username"
              spellCheck={false}
              autoFocus={!username}
            />
          </Field>
        ) : (
          <Field label="User">
            <Select
              value={username}
              onChange={(_, d) => {
                setUsername(d.value);
                const u = users.find((x) => x.username === d.value);
                if (u) setKind(u.hasPassword ? 'password' : 'pin');
              }}
            >
              {users.map((u) => (
                <option key={u.username} value={u.username}>
                  {u.displayName} ({u.username})
                </option>
              ))}
            </Select>
          </Field>
        )}
        {typed || (chosen && chosen.hasPassword && chosen.hasPin) ? (
          <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => setKind(d.value as SecretKind)} aria-label="Sign in with">
            <Radio value="password" label="Password" />
            <Radio value="pin" label="PIN" />
          </RadioGroup>
        ) : null}
        <Field label={kind === 'pin' ? 'PIN' : 'Password'} required>
          <Input
            type="password"
            inputMode={kind === 'pin' ? 'numeric' : 'text'}
            autoComplete={kind === 'pin' ? 'off' : 'current-password'}
            value={secret}
            onChange={(_, d) => setSecret(d.value)}
            autoFocus={!typed || Boolean(username)}
          />
        </Field>
        {error ? (
          <MessageBar intent="error" layout="multiline" data-testid="error-bar">
            <MessageBarBody>{error.message}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy || !secret || !username}>
            {status.locked ? 'Unlock' : 'Sign in'}
          </Button>
        </div>
      </form>
    </div>
  );
}
