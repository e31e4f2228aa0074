import type { BatchSummary, PostingReport } from '../../shared/posting';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { formatCount, formatDate, formatDateTime, plural } from '../common/format';
import { useCompany } from '../company/company-context';
import { usePostingStyles } from './posting-styles';
import { targetLabel } from './target-key';

/** The batch a reversal is asked for, with its saved report (its total debit). */
export interface ReversalAsked {
  batch: BatchSummary;
  report: PostingReport;
}

/**
 * Asks before a posted batch is reversed, in the user's words: what the batch posted, that a new batch with the opposite
 * entries is posted today (each entry dated as the one it reverses), that the original stays, and that its movements
 * become unposted so the next run posts them again (reverseBatch: the mirror and the release are one transaction).
 */
export function ReverseBatchDialog({ asked, onConfirm, onCancel }: { asked: ReversalAsked | null; onConfirm: (a: ReversalAsked) => void; onCancel: () => void }) {
  const s = usePostingStyles();
  const money = useCompany().format.money;
  return (
    <ConfirmDialog
      subject={asked}
      label="Confirm reversal"
      onConfirm={onConfirm}
      onCancel={onCancel}
      text={({ batch: b, report: r }) => ({
        title: `Reverse batch ${b.id}?`,
        testId: 'reversal-confirm',
        content: (
          <>
            <dl className={s.facts}>
              <dt>Batch {b.id}</dt>
              <dd data-testid="reversal-batch">
                {plural(b.movementCount, 'movement')} that occurred up to {formatDateTime(b.postedTo)}, posted to {targetLabel(b.target)} on {formatDateTime(b.startedAt)}
              </dd>
              <dt>Journal</dt>
              <dd data-testid="reversal-journal">
                {plural(b.entryCount, 'entry', 'entries')} ({formatCount(b.lineCount)} lines), total debit {money(r.totalDebit)}
              </dd>
            </dl>
            <p data-testid="reversal-effect">
              {`A new batch is posted today (${formatDate(Date.now())}) with the opposite of each of these ${plural(b.entryCount, 'entry', 'entries')}, each dated as the entry it cancels, so together they come to nothing in finance. Batch ${b.id} stays as it is: nothing is deleted.`}
            </p>
            <p data-testid="reversal-movements">
              {`Its ${plural(b.movementCount, 'movement')} ${b.movementCount === 1 ? 'becomes' : 'become'} unposted: the next posting run posts them again.`}
            </p>
          </>
        ),
        confirm: `Reverse batch ${b.id}`,
        cancel: 'Keep it',
      })}
    />
  );
}
