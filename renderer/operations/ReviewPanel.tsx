import { Fragment } from 'react';
import { Button, MessageBar, MessageBarBody, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular, SendRegular } from '@fluentui/react-icons';
import { movementType } from '../../shared/movement-types';
import type { OperationReview, ReviewKit, ReviewMovement } from '../../shared/operations';
import { formatDay, formatMoney, formatQuantity, formatUnitCost, plural } from '../common/format';
import { KEYS, withKeys } from '../app/shortcuts';
import { useFormStyles } from './form-styles';
import { beforeAfter, useOnHandStyles } from './OnHand';
import { PostWaiting } from './PostWaiting';
import { reviewSitesText } from './review-sites';
import { reviewRoundingNote } from './review-rounding';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    border: `1px solid ${tokens.colorBrandStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 10px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  title: { fontWeight: tokens.fontWeightSemibold },
  in: { color: tokens.colorPaletteGreenForeground1 },
  out: { color: tokens.colorPaletteRedForeground1 },
  total: { fontWeight: tokens.fontWeightSemibold, backgroundColor: tokens.colorNeutralBackground2 },
  dim: { color: tokens.colorNeutralForeground3 },
  kit: { backgroundColor: tokens.colorNeutralBackground3, fontWeight: tokens.fontWeightSemibold },
  // A kit's component, indented under it with an arrow drawn by CSS: the cell's text stays the product (copied, read, tested).
  component: { paddingLeft: '18px', '::before': { content: '"↳ "', color: tokens.colorNeutralForeground3 } },
});

const typeName = (t: string) => {
  try {
    return movementType(t).displayName;
  } catch {
    return t;
  }
};

/**
 * A kit line's quantity: as typed on the form ("2 each"); on a refund, the kits coming back of those sold on the sale
 * line ("1 of 2 each sold" when not all), or "part of a kit" when its components come back in other proportions.
 */
function kitQtyText(k: ReviewKit): string {
  const q = (n: number) => formatQuantity(n, k.scale);
  if (k.sold === undefined || k.qty === k.sold) return k.qty === null ? '' : `${q(k.qty)} ${k.unit}`;
  return k.qty === null ? `part of a kit (${q(k.sold)} ${k.unit} sold)` : `${q(k.qty)} of ${q(k.sold)} ${k.unit} sold`;
}

/**
 * The review step: every movement the document will write, with quantities, costs and values, and what outbound lines
 * take from; a kit line typed on the form (code, name, quantity) over the movements of its components.
 */
export function ReviewPanel({ review, busy, canPost, onPost, onBack }: { review: OperationReview; busy: boolean; canPost: boolean; onPost: () => void; onBack: () => void }) {
  const s = useFormStyles();
  const r = useStyles();
  const onHand = useOnHandStyles();
  const hasOut = review.movements.some((m) => m.availableHere !== null);
  // A backdated document: some line's product moved at its site after the document's effective time.
  const then = review.movements.some((m) => m.onHandThen);
  const onHandTitle = then
    ? 'On hand at the effective time, by effective time (later movements of these products exist, so it is not the stock now), before this line (after the lines above) → after it'
    : 'On hand before this line (after the lines above) → after it';
  // On-costs in and out, each as a positive amount like the values beside them (an outgoing line's is negative).
  const onCostsIn = review.movements.reduce((a, m) => a + Math.max(m.onCostValue, 0), 0);
  const onCostsOut = review.movements.reduce((a, m) => a - Math.min(m.onCostValue, 0), 0);
  const sitesText = reviewSitesText(review.movements);
  // A kit line typed on the form shows over the movements of its components (their document line numbers).
  const kitOf = (lineNo: number) => review.kits.find((k) => lineNo >= k.firstLineNo && lineNo <= k.lastLineNo) ?? null;
  // What an outbound line finds (after the lines above it) and leaves: "8 → 3"; red when it leaves less than nothing.
  const onHandCell = (before: number | null, m: ReviewMovement, testId: string) => (
    <td className={mergeClasses(s.td, s.num, before !== null && before + m.qty < 0 ? onHand.short : undefined)} data-testid={testId}>
      {before === null ? '' : beforeAfter(before, m.qty, m.scale)}
    </td>
  );
  const roundingNote = reviewRoundingNote(review.movements.map((m) => m.value), review.valueIn, review.valueOut);
  const onCostText = [onCostsIn ? `on-costs in ${formatMoney(onCostsIn)}` : '', onCostsOut ? `on-costs out ${formatMoney(onCostsOut)}` : ''].filter(Boolean).join(' · ');
  return (
    <section className={r.panel} aria-label="Review" data-testid="op-review">
      <Text className={r.title}>
        {review.alreadyPosted
          ? 'Already posted: this form was posted before, so posting again only shows what it wrote.'
          : `Review: ${[
              review.movements.length || !review.credits.length ? plural(review.movements.length, 'movement') : '',
              review.credits.length ? plural(review.credits.length, 'value-only credit line') : '',
            ]
              .filter(Boolean)
              .join(' and ')} will be written${review.movements.length ? '' : '; no stock moves'}.`}
      </Text>
      {sitesText ? (
        <Text size={500} weight="semibold" data-testid="review-site">
          {sitesText}
        </Text>
      ) : null}
      {review.movements.length ? (
        <table className={s.grid} aria-label="Movements to post">
          <thead>
            <tr>
              <th className={s.th}>#</th>
              <th className={s.th}>Movement</th>
              <th className={s.th}>Product</th>
              <th className={s.th}>Site</th>
              <th className={s.th}>Bin</th>
              <th className={s.th}>Batch / serial</th>
              <th className={s.th}>Expiry</th>
              <th className={mergeClasses(s.th, s.num)}>Qty</th>
              <th className={mergeClasses(s.th, s.num)}>Unit cost</th>
              <th className={mergeClasses(s.th, s.num)}>On-costs / unit</th>
              <th className={mergeClasses(s.th, s.num)}>Value</th>
              <th className={s.th}>Cost source</th>
              {hasOut ? <th className={mergeClasses(s.th, s.num)} title={onHandTitle}>{then ? 'On hand then' : 'On hand'} → after (bin/batch)</th> : null}
              {hasOut ? <th className={mergeClasses(s.th, s.num)} title={onHandTitle} data-testid="review-on-hand-site-head">{then ? 'On hand then' : 'On hand'} → after (site)</th> : null}
            </tr>
          </thead>
          <tbody>
            {review.movements.map((m, i) => {
              const kit = kitOf(m.lineNo);
              const startsKit = kit && kit.firstLineNo === m.lineNo && review.movements[i - 1]?.lineNo !== m.lineNo ? kit : null;
              return (
              <Fragment key={i}>
              {startsKit ? (
                <tr className={r.kit} data-testid="review-kit">
                  <td className={s.td} />
                  <td className={s.td}>{startsKit.where}: kit</td>
                  <td className={s.td}>
                    {startsKit.sku} <span className={r.dim}>{startsKit.name}</span>
                  </td>
                  <td className={mergeClasses(s.td, r.dim)} colSpan={4}>
                    {plural(startsKit.lastLineNo - startsKit.firstLineNo + 1, 'movement')} of its components below
                  </td>
                  <td className={mergeClasses(s.td, s.num)}>
                    {kitQtyText(startsKit)}
                  </td>
                  <td className={s.td} colSpan={hasOut ? 6 : 4} />
                </tr>
              ) : null}
              <tr data-testid="review-row" data-kit-component={kit ? kit.sku : undefined}>
                <td className={s.td}>{m.lineNo}</td>
                <td className={s.td}>{typeName(m.type)}</td>
                <td className={mergeClasses(s.td, kit ? r.component : undefined)}>
                  {m.sku} <span className={r.dim}>{m.name}</span>
                </td>
                <td className={s.td}>{m.siteName}</td>
                <td className={s.td}>{m.binCode ?? '—'}</td>
                <td className={s.td}>{m.serial ?? m.batchCode ?? '—'}</td>
                <td className={s.td}>{m.expiry ? formatDay(m.expiry) : ''}</td>
                <td className={mergeClasses(s.td, s.num, m.qty > 0 ? r.in : r.out)}>
                  {m.qty > 0 ? '+' : ''}
                  {formatQuantity(m.qty, m.scale)} {m.unit}
                </td>
                <td className={mergeClasses(s.td, s.num)}>{formatUnitCost(m.unitCost)}</td>
                <td className={mergeClasses(s.td, s.num)}>{m.onCostPerUnit ? formatUnitCost(m.onCostPerUnit) : ''}</td>
                <td className={mergeClasses(s.td, s.num)}>{formatMoney(m.value)}</td>
                <td className={mergeClasses(s.td, r.dim)}>{m.costSource.replace(/_/g, ' ')}</td>
                {hasOut ? onHandCell(m.availableHere, m, 'review-on-hand-here') : null}
                {hasOut ? onHandCell(m.availableAtSite, m, 'review-on-hand-site') : null}
              </tr>
              </Fragment>
              );
            })}
            <tr className={r.total}>
              <td className={s.td} colSpan={10}>
                Value in {formatMoney(review.valueIn)} · value out {formatMoney(review.valueOut)}
                {onCostText ? ` · ${onCostText} (carried beside the unit cost)` : ''}
                {roundingNote ? <span className={r.dim} data-testid="review-rounding">{` · ${roundingNote}`}</span> : null}
              </td>
              <td className={mergeClasses(s.td, s.num)} data-testid="review-net">{formatMoney(review.valueIn - review.valueOut)}</td>
              <td className={s.td} colSpan={hasOut ? 3 : 1} />
            </tr>
          </tbody>
        </table>
      ) : null}
      {review.credits.length ? (
        <table className={s.grid} aria-label="Value-only credits">
          <thead>
            <tr>
              <th className={s.th}>Product</th>
              <th className={mergeClasses(s.th, s.num)}>Qty credited</th>
              <th className={mergeClasses(s.th, s.num)}>Unit cost</th>
              <th className={mergeClasses(s.th, s.num)}>On-costs / unit</th>
              <th className={mergeClasses(s.th, s.num)}>Value</th>
              <th className={mergeClasses(s.th, s.num)}>On-costs</th>
            </tr>
          </thead>
          <tbody>
            {review.credits.map((c, i) => (
              <tr key={i} data-testid="review-credit">
                <td className={s.td}>
                  {c.sku} <span className={r.dim}>{c.name}</span>
                </td>
                <td className={mergeClasses(s.td, s.num)}>{formatQuantity(c.qty, c.scale)}</td>
                <td className={mergeClasses(s.td, s.num)}>{formatUnitCost(c.unitCost)}</td>
                <td className={mergeClasses(s.td, s.num)}>{c.onCostPerUnit ? formatUnitCost(c.onCostPerUnit) : ''}</td>
                <td className={mergeClasses(s.td, s.num)}>{formatMoney(c.value)}</td>
                <td className={mergeClasses(s.td, s.num)}>{c.onCostValue ? formatMoney(c.onCostValue) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {review.notes.length ? (
        <MessageBar intent="info">
          <MessageBarBody>{review.notes.join(' ')}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={s.actions}>
        <Button size="small" icon={<ArrowLeftRegular />} onClick={onBack} title={withKeys('Back to edit', KEYS.backToEdit)} aria-keyshortcuts="Escape">
          Back to edit
        </Button>
        <div className={s.spacer} />
        <PostWaiting posting={busy} />
        {canPost ? (
          // Focus waits here after a review: Enter (or Ctrl+Enter) posts, Esc goes back to editing.
          <Button size="small" appearance="primary" icon={<SendRegular />} disabled={busy} onClick={onPost} autoFocus title={withKeys('Post these movements', KEYS.post)} aria-keyshortcuts="Control+Enter" data-testid="op-post">
            Post
          </Button>
        ) : null}
      </div>
    </section>
  );
}
