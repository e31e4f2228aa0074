import type { UserSummary } from '../../shared/auth';
import { ConfirmDialog } from '../common/ConfirmDialog';

/**
 * Asks before a user is disabled (signed out wherever they are, no sign-in until enabled) or enabled again; nothing
 * changes until confirmed. `user` null: closed.
 */
export function ConfirmUserDisableDialog({ user, onConfirm, onCancel }: { user: UserSummary | null; onConfirm: (u: UserSummary) => void; onCancel: () => void }) {
  const verb = (user?.active ?? true) ? 'Disable' : 'Enable';
  return (
    <ConfirmDialog
      subject={user}
      label={`${verb} user`}
      onConfirm={onConfirm}
      onCancel={onCancel}
      text={(u) => ({
        title: `${verb} ${u.displayName} (${u.username})?`,
        testId: 'user-disable-confirm',
        content: u.active
          ? `${u.displayName} is signed out of every window at their next action and cannot sign in until a user manager enables them again. Their movements and audit entries stay as they are.`
          : `${u.displayName} can sign in again with their password or PIN, with the permissions ticked for them.`,
        confirm: `${verb} ${u.username}`,
      })}
    />
  );
}
