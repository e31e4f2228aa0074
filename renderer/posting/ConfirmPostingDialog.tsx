import type { PostingPreview } from '../../shared/posting';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { formatCount, formatDateTime, plural } from '../common/format';
import { usePostingStyles } from './posting-styles';
import { targetLabel } from './target-key';

/** States exactly what a run will post (how many, up to when, where, detailed or summarised); nothing posts until confirmed. */
export function ConfirmPostingDialog({ preview, onConfirm, onCancel }: { preview: PostingPreview | null; onConfirm: (p: PostingPreview) => void; onCancel: () => void }) {
  const s = usePostingStyles();
  return (
    <ConfirmDialog
      subject={preview}
      label="Confirm posting"
      onConfirm={onConfirm}
      onCancel={onCancel}
      text={(p) => {
        const nothing = p.unposted === 0 && p.unpostedValueCredits === 0;
        return {
          title: `Post ${plural(p.unposted, 'movement')} to finance?`,
          content: (
            <>
              <dl className={s.facts} data-testid="posting-confirm">
                <dt>Movements</dt>
                <dd data-testid="confirm-movements">
                  {formatCount(p.unposted)} unposted
                  {p.firstAt ? ` (dated ${formatDateTime(p.firstAt)} to ${formatDateTime(p.lastAt)})` : ''}
                  {p.unpostedValueCredits ? `, and ${plural(p.unpostedValueCredits, 'value-only credit')}` : ''}
                </dd>
                <dt>Up to</dt>
                <dd data-testid="confirm-to">{formatDateTime(p.to)}</dd>
                <dt>Finance system</dt>
                <dd data-testid="confirm-target">{targetLabel(p.target)}</dd>
                <dt>Journal</dt>
                <dd data-testid="confirm-mode">{p.summarised ? 'Summarised: one line per account per day per movement type' : 'Detailed: one entry per movement'}</dd>
              </dl>
              <p className={s.muted}>
                {nothing
                  ? 'Nothing is waiting to be posted up to this time.'
                  : 'A checked backup is taken first. If more movements are recorded up to this time before you confirm, posting is refused and you review it again.'}
              </p>
            </>
          ),
          confirm: `Post ${plural(p.unposted, 'movement')}`,
          confirmDisabled: nothing,
        };
      }}
    />
  );
}
