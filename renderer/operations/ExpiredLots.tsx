import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ExpiredLot } from '../../shared/operations';
import { formatDay } from '../common/format';
import { ConfirmDialog } from '../counts/ConfirmDialog';
import { expiredBefore } from './expired-lots';

const useStyles = makeStyles({
  note: { display: 'block', color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold, maxWidth: '16em' },
});

/** Under a received line's expiry: said when the batch expired before the receipt's business day (company date format). */
export function ExpiredNote({ n, expiry, occurredAt }: { n: number; expiry: string; occurredAt: string }) {
  const s = useStyles();
  const expired = expiredBefore(expiry, occurredAt);
  if (!expired) return null;
  return (
    <Text size={200} className={s.note} data-testid="line-expired" aria-label={`Line ${n} expired`}>
      Expired {formatDay(expired.expiry)}, before this receipt's day {formatDay(expired.day)}. Posting asks you to confirm it.
    </Text>
  );
}

/** Asks before receiving batches that already expired (a return to be written off): the lines the ledger named. */
export function ExpiredLotsDialog({ lots, busy, onConfirm, onCancel }: { lots: ExpiredLot[] | null; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <ConfirmDialog open={lots !== null} title="Receive expired stock?" confirm="Receive expired stock" busy={busy} onConfirm={onConfirm} onCancel={onCancel}>
      <Text block>{lots?.length === 1 ? 'This batch expired' : 'These batches expired'} before the receipt's day:</Text>
      <ul data-testid="expired-lots">
        {(lots ?? []).map((l) => (
          <li key={`${l.line}:${l.batch}`}>
            Line {l.line}: batch {l.batch} of {l.sku}, expired {formatDay(l.expiry)} (receipt's day {formatDay(l.day)})
          </li>
        ))}
      </ul>
      <Text block>Receive it only if that is what you mean, such as a return to be written off. Otherwise go back and correct the expiry.</Text>
    </ConfirmDialog>
  );
}
