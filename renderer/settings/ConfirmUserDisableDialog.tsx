import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import type { UserSummary } from '../../shared/auth';

/**
 * Asks before a user is disabled (signed out wherever they are, no sign-in until enabled) or enabled again; nothing
 * changes until confirmed. `user` null: closed.
 */
export function ConfirmUserDisableDialog({ user, onConfirm, onCancel }: { user: UserSummary | null; onConfirm: (u: UserSummary) => void; onCancel: () => void }) {
  const disabling = user?.active ?? true;
  const verb = disabling ? 'Disable' : 'Enable';
  return (
    <Dialog open={user !== null} onOpenChange={(_, d) => (d.open ? undefined : onCancel())}>
      <DialogSurface aria-label={`${verb} user`}>
        {user ? (
          <DialogBody>
            <DialogTitle>
              {verb} {user.displayName} ({user.username})?
            </DialogTitle>
            <DialogContent data-testid="user-disable-confirm">
              {disabling
                ? `${user.displayName} is signed out of every window at their next action and cannot sign in until a user manager enables them again. Their movements and audit entries stay as they are.`
                : `${user.displayName} can sign in again with their password or PIN, with the permissions ticked for them.`}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onCancel}>
                Cancel
              </Button>
              <Button appearance="primary" onClick={() => onConfirm(user)}>
                {verb} {user.username}
              </Button>
            </DialogActions>
          </DialogBody>
        ) : null}
      </DialogSurface>
    </Dialog>
  );
}
