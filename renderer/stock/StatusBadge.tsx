import { Badge, makeStyles, shorthands, tokens } from '@fluentui/react-components';
import type { StockStatus } from '../../shared/domain';

const LOOK: Record<StockStatus, { label: string; color: 'success' | 'warning' | 'danger' }> = {
  in_stock: { label: 'In stock', color: 'success' },
  low: { label: 'Low in stock', color: 'warning' },
  out: { label: 'Out of stock', color: 'danger' },
};

const useStyles = makeStyles({
  // Fluent's warning tint reads as yellow; low stock is conventionally amber.
  amber: {
    backgroundColor: tokens.colorPaletteMarigoldBackground1,
    color: tokens.colorPaletteMarigoldForeground2,
    ...shorthands.borderColor(tokens.colorPaletteMarigoldBorder1),
  },
});

/** In stock (green) / Low in stock (amber) / Out of stock (red). */
export function StatusBadge({ status }: { status: StockStatus }) {
  const styles = useStyles();
  const look = LOOK[status] ?? LOOK.in_stock;
  return (
    <Badge
      appearance="tint"
      shape="rounded"
      size="medium"
      color={look.color}
      className={status === 'low' ? styles.amber : undefined}
      data-status={status}
    >
      {look.label}
    </Badge>
  );
}
