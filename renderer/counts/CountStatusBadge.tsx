import { Badge } from '@fluentui/react-components';
import type { CountStatus } from '../../shared/counts';

const LOOK: Record<CountStatus, { label: string; color: 'informative' | 'success' | 'subtle' }> = {
  DRAFT: { label: 'Draft', color: 'informative' },
  COMPLETED: { label: 'Completed', color: 'success' },
  CANCELLED: { label: 'Cancelled', color: 'subtle' },
};

export function CountStatusBadge({ status }: { status: CountStatus }) {
  const look = LOOK[status];
  return (
    <Badge appearance="tint" shape="rounded" size="small" color={look.color} data-testid="count-status">
      {look.label}
    </Badge>
  );
}
