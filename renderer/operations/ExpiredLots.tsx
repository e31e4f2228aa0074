import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ExpiredLot } from '../../shared/operations';
import { formatDay } from '../common/format';
import { ConfirmDialog } from '../counts/ConfirmDialog';
import { EXPIRED_WORDS, expiredBefore, type ExpiredDocument } from './expired-lots';

const useStyles = makeStyles({
  note: { display: 'block', color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold, maxWidth: '16em' },
});

/**
 * Under a line's expiry (or its batch, where the batch comes back as it was sold): said when the batch expired before
 * the document's business day (company date format). `label`: "Line 2", "Output".
 */
export function ExpiredNote({ label, expiry, occurredAt, document }: { label: string; expiry: string | null; occurredAt: string; document: ExpiredDocument }) {
  const s = useStyles();
  const expired = expiry ? expiredBefore(expiry, occurredAt) : null;
  if (!expired) return null;
  return (
    <Text size={200} className={s.note} data-testid="line-expired" aria-label={`${label} expired`}>
      Expired {formatDay(expired.expiry)}, before {EXPIRED_WORDS[document].day} {formatDay(expired.day)}. Posting asks you to confirm it.
    </Text>
  );
}

/** Asks before bringing in batches that already expired (a return to be written off): the lines the ledger named. */
export function ExpiredLotsDialog({ lots, busy, document, onConfirm, onCancel }: { lots: ExpiredLot[] | null; busy: boolean; document: ExpiredDocument; onConfirm: () => void; onCancel: () => void }) {
  const w = EXPIRED_WORDS[document];
  return (
    <ConfirmDialog open={lots !== null} title={w.title} confirm={w.confirm} busy={busy} onConfirm={onConfirm} onCancel={onCancel}>
      <Text block>
        {lots?.length === 1 ? 'This batch expired' : 'These batches expired'} before {w.day.replace('this ', 'the ')}:
      </Text>
      <ul data-testid="expired-lots">
        {(lots ?? []).map((l) => (
          <li key={`${l.line}:${l.batch}`}>
            {w.where(l.line)}: batch {l.batch} of {l.sku}, expired {formatDay(l.expiry)} ({w.day.replace('this ', '')} {formatDay(l.day)})
          </li>
        ))}
      </ul>
      <Text block>
        {w.mean ?? 'Bring it in only if that is what you mean, such as a return to be written off.'} Otherwise go back and {w.fix}.
      </Text>
    </ConfirmDialog>
  );
}
