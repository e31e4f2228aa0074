import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import type { SecretKind, UserSummary } from '../../shared/auth';
import type { AppError } from '../../shared/contract/errors';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';

/**
 * A user manager gives another user a password or PIN (typed twice), so that user can sign in: the Users section's
 * "Set password" of each row. `user` null: closed. Main checks the secret's length and who may set it; its refusal is
 * shown here, and nothing is changed until it accepts.
 */
export function SetUserSecretDialog({ user, onDone, onCancel }: { user: UserSummary | null; onDone: (u: UserSummary, kind: SecretKind) => void; onCancel: () => void }) {
  return (
    <Dialog open={user !== null} onOpenChange={(_, d) => (d.open ? undefined : onCancel())}>
      <DialogSurface aria-labelledby="user-secret-title">{user ? <SecretForm key={user.id} user={user} onDone={onDone} onCancel={onCancel} /> : null}</DialogSurface>
    </Dialog>
  );
}

/** The dialog's body for one user: a new form (empty fields) each time it opens. */
function SecretForm({ user, onDone, onCancel }: { user: UserSummary; onDone: (u: UserSummary, kind: SecretKind) => void; onCancel: () => void }) {
  const client = useClient();
  const [kind, setKind] = useState<SecretKind>('password');
  const [secret, setSecret] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  /** The first box: focus goes back to it after a refusal (the Save button it was on is disabled while busy, which left
   * focus outside the dialog, so Escape no longer closed it). */
  const first = useRef<HTMLInputElement>(null);
  const word = kind === 'pin' ? 'PIN' : 'password';
  const mismatch = again !== '' && again !== secret;

  const save = async () => {
    if (busy || !secret || secret !== again) return;
    setBusy(true);
    try {
      const u = await client.call('users.setSecret', { username: user.username, kind, secret });
      onDone(u, kind);
    } catch (e) {
      setError(toAppError(e));
      first.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
          <DialogBody>
            <DialogTitle id="user-secret-title">
              Set a password or PIN for {user.displayName} ({user.username})
            </DialogTitle>
            <DialogContent>
              <form
                id="user-secret-form"
                data-testid="user-secret-form"
                style={{ display: 'flex', flexDirection: 'column', gap: 10 }}
                onSubmit={(e) => {
                  e.preventDefault();
                  void save();
                }}
              >
                <Text size={200}>
                  {user.username} signs in with it. Tell it to them in person; they can change it in Settings once signed in.
                  {(kind === 'pin' ? user.hasPin : user.hasPassword) ? ` It replaces their current ${word}.` : ''}
                </Text>
                {error ? <ErrorBar error={error} title="Not set." onDismiss={() => setError(null)} /> : null}
                <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => setKind(d.value as SecretKind)} aria-label="Secret kind">
                  <Radio value="password" label="Password" />
                  <Radio value="pin" label="PIN" />
                </RadioGroup>
                <Field label={`New ${kind === 'pin' ? 'PIN (4–12 digits)' : 'password (8+ characters)'}`}>
                  <Input ref={first} type="password" autoFocus value={secret} onChange={(_, d) => setSecret(d.value)} autoComplete="new-password" data-testid="user-secret" />
                </Field>
                <Field label={`The same ${word} again`} validationState={mismatch ? 'error' : 'none'} validationMessage={mismatch ? `The two ${word}s differ: type the same ${word} twice.` : undefined}>
                  <Input type="password" value={again} onChange={(_, d) => setAgain(d.value)} autoComplete="new-password" data-testid="user-secret-again" />
                </Field>
              </form>
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onCancel}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" form="user-secret-form" disabled={busy || !secret || secret !== again} data-testid="user-secret-save">
                Set {word} for {user.username}
              </Button>
            </DialogActions>
          </DialogBody>
  );
}
