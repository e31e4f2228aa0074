import { Badge, Tooltip } from '@fluentui/react-components';
import { formatMs } from './enquiry-format';

/**
 * Marks a backdated movement (effective on an earlier business day than recorded); the tooltip gives when it was
 * recorded. The explanation reaches assistive technology as the badge's own description, and the tooltip is drawn
 * only while shown: a "description" tooltip keeps a hidden popup (its own portal) in the page for every marker, and a
 * page of backdated rows made the Enquiry's first render a long task (issue 14).
 */
export function BackdatedMarker({ recordedAt }: { recordedAt: number }) {
  const text = `Backdated: recorded ${formatMs(recordedAt)}, after the day it is dated. Balances on later dates include it; "Balance (as recorded)" of movements recorded earlier does not.`;
  return (
    <Tooltip content={text} relationship="inaccessible" withArrow>
      <Badge
        appearance="tint"
        color="warning"
        size="small"
        shape="rounded"
        tabIndex={0}
        aria-label={`Backdated, recorded ${formatMs(recordedAt)}`}
        aria-description={text}
        data-testid="mv-backdated"
      >
        Backdated
      </Badge>
    </Tooltip>
  );
}
