import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatCount, plural } from '../common/format';
import type { StockView } from './use-current-stock';

const useStyles = makeStyles({
  summary: { fontVariantNumeric: 'tabular-nums', color: tokens.colorNeutralForeground2, whiteSpace: 'nowrap' },
  low: { color: tokens.colorPaletteMarigoldForeground2, fontWeight: tokens.fontWeightSemibold },
  out: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  dot: { color: tokens.colorNeutralForeground4 },
});

/** "1,234 product-sites · 56 low · 12 out" for the current filters. */
export function StockSummary({ view }: { view: StockView | null }) {
  const styles = useStyles();
  if (!view) return null;
  return (
    <Text size={200} className={styles.summary} data-testid="stock-summary" aria-live="polite">
      {plural(view.total, 'product-site')}
      <span className={styles.dot}> · </span>
      <span className={view.lowCount ? styles.low : undefined}>{formatCount(view.lowCount)} low</span>
      <span className={styles.dot}> · </span>
      <span className={view.outCount ? styles.out : undefined}>{formatCount(view.outCount)} out</span>
    </Text>
  );
}
