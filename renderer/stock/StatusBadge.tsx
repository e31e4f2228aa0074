import { Badge } from '@fluentui/react-components';
import type { StockStatus } from '../../shared/domain';

const LOOK: Record<StockStatus, { label: string; color: 'success' | 'warning' | 'danger' }> = {
  in_stock: { label: 'In stock', color: 'success' },
  low: { label: 'Low in stock', color: 'warning' },
  out: { label: 'Out of stock', color: 'danger' },
};

export function StatusBadge({ status }: { status: StockStatus }) {
  const look = LOOK[status] ?? LOOK.in_stock;
  return (
    <Badge appearance="tint" shape="rounded" size="small" color={look.color} data-status={status}>
      {look.label}
    </Badge>
  );
}
