import { ConfirmDialog } from '../common/ConfirmDialog';
import { routeDef, routeFromHash } from './routes';
import type { HeldLeave } from './use-hash-route';

/**
 * Asked when the user goes to another window while this one holds edits not saved: stay (the edits are kept, as they
 * were) or discard them and leave. Escape or a click outside stays.
 */
export function LeaveDialog({ held, onStay, onLeave }: { held: HeldLeave | null; onStay: () => void; onLeave: () => void }) {
  return (
    <ConfirmDialog
      subject={held}
      label="Changes not saved"
      onCancel={onStay}
      onConfirm={onLeave}
      text={(h) => ({
        title: 'Changes not saved',
        content: `${h.unsaved.join(' ')} Stay to keep editing (then Save), or discard them and open ${routeDef(routeFromHash(h.to)).title}.`,
        cancel: 'Stay and keep editing',
        confirm: 'Discard and leave',
        testId: 'leave-unsaved',
      })}
    />
  );
}
