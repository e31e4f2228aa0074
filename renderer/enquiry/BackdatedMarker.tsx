import { Badge, Tooltip } from '@fluentui/react-components';
import { formatMs } from './enquiry-format';

/** Marks a backdated movement (effective on an earlier business day than recorded); the tooltip gives when it was recorded. */
export function BackdatedMarker({ recordedAt }: { recordedAt: number }) {
  const text = `Backdated: recorded ${formatMs(recordedAt)}, after the day it is dated. Balances on later dates include it; "Balance (as recorded)" of movements recorded earlier does not.`;
  return (
    <Tooltip content={text} relationship="description" withArrow>
      <Badge appearance="tint" color="warning" size="small" shape="rounded" tabIndex={0} aria-label={`Backdated, recorded ${formatMs(recordedAt)}`} data-testid="mv-backdated">
        Backdated
      </Badge>
    </Tooltip>
  );
}
