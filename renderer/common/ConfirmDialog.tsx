import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import type { ReactNode } from 'react';

/** What a confirm dialog shows for the thing it asks about. */
export interface ConfirmText {
  title: ReactNode;
  content: ReactNode;
  /** The primary button's words (the action itself, e.g. "Post 12 movements"; never a bare "OK"). */
  confirm: ReactNode;
  /** The button that leaves things as they are ("Keep it"); "Cancel" unless said. */
  cancel?: string;
  /** Off when there is nothing to confirm; Cancel stays. */
  confirmDisabled?: boolean;
  /** Test id of the content, for end-to-end tests. */
  testId?: string;
}

/**
 * Asks before an action on `subject`: its title, what will happen, Cancel and the action's own button; nothing happens
 * until the action is clicked. `subject` null: closed. Escape or a click outside cancels.
 */
export function ConfirmDialog<T>({ subject, label, text, onConfirm, onCancel }: { subject: T | null; label: string; text: (subject: T) => ConfirmText; onConfirm: (subject: T) => void; onCancel: () => void }) {
  const t = subject === null ? null : text(subject);
  return (
    <Dialog open={subject !== null} onOpenChange={(_, d) => (d.open ? undefined : onCancel())}>
      <DialogSurface aria-label={label}>
        {subject !== null && t ? (
          <DialogBody>
            <DialogTitle>{t.title}</DialogTitle>
            <DialogContent data-testid={t.testId}>{t.content}</DialogContent>
            <DialogActions>
              <Button appearance="secondary" style={{ whiteSpace: 'nowrap', maxWidth: 'none' }} onClick={onCancel}>
                {t.cancel ?? 'Cancel'}
              </Button>
              <Button appearance="primary" style={{ whiteSpace: 'nowrap', maxWidth: 'none' }} disabled={t.confirmDisabled} onClick={() => onConfirm(subject)}>
                {t.confirm}
              </Button>
            </DialogActions>
          </DialogBody>
        ) : null}
      </DialogSurface>
    </Dialog>
  );
}
