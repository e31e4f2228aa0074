import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { VisibilityState } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { MovementView } from '../../shared/enquiry';
import { VirtualGrid } from '../common/VirtualGrid';
import { movementColumns, NUMERIC_COLUMNS, type MovementActions } from './movement-columns';

const useStyles = makeStyles({
  empty: { padding: '24px 12px', color: tokens.colorNeutralForeground3 },
});

interface Props {
  rows: MovementView[];
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  actions: MovementActions;
  visibility: VisibilityState;
  queryKey: string;
  /** What an empty grid says (default: no movement matches the filters). */
  emptyText?: string;
}

const MONO = new Set(['sku']);
const rowData = (m: MovementView) => ({ seq: m.seq });

/** The dense, virtualized movement grid; resizable columns, infinite scroll through keyset pages. */
export function MovementTable({ rows, hasMore, loading, onLoadMore, actions, visibility, queryKey, emptyText }: Props) {
  const styles = useStyles();
  const columns = useMemo(() => movementColumns(actions), [actions]);
  return (
    <VirtualGrid
      rows={rows}
      columns={columns}
      getRowId={(m) => String(m.seq)}
      hasMore={hasMore}
      loading={loading}
      onLoadMore={onLoadMore}
      queryKey={queryKey}
      visibility={visibility}
      numericColumns={NUMERIC_COLUMNS}
      monoColumns={MONO}
      label="Movements"
      testId="mv-table"
      scrollerTestId="mv-scroller"
      rowTestId="mv-row"
      cellTestIdPrefix="mv-cell"
      rowData={rowData}
      empty={
        <Text as="p" size={200} className={styles.empty} data-testid="mv-no-rows">
          {emptyText ?? 'No movements match these filters. Remove a filter or widen the date range.'}
        </Text>
      }
    />
  );
}
