import { Spinner } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { ErrorBar } from '../common/ErrorBar';
import { useAuth } from './auth-context';
import { SafeModeScreen } from './SafeModeScreen';
import { SignInScreen } from './SignInScreen';
import { useIdleLock } from './use-idle-lock';
import { useKeysWhileWaiting } from '../common/unused-keys';

/** Shows the app only to a signed-in, unlocked session; otherwise sign-in, the lock screen, or safe mode. */
export function AuthGate({ children }: { children: ReactNode }) {
  const { status, error, setStatus, refresh, lock, lockable, signedOutBy } = useAuth();
  const open = Boolean(status && !status.safeMode && status.user && !status.locked);
  useIdleLock(open && lockable, status?.idleLockMinutes ?? 15, () => void lock());

  if (!status) {
    return error ? (
      <div style={{ padding: 16 }}>
        <ErrorBar error={error} title="Stockbook could not check who is signed in." onRetry={() => void refresh()} />
      </div>
    ) : (
      <div style={{ padding: 16 }}>
        <Connecting />
      </div>
    );
  }
  if (status.safeMode) return <SafeModeScreen status={status} />;
  if (!open) return <SignInScreen key={`${status.locked}-${status.user?.username ?? ''}`} status={status} onStatus={setStatus} notice={signedOutBy} />;
  return <>{children}</>;
}

/** The first wait: no window, no field. Keys typed meanwhile are counted and told (common/unused-keys.ts). */
function Connecting() {
  useKeysWhileWaiting('connecting');
  return <Spinner size="tiny" label="Connecting…" labelPosition="after" />;
}
