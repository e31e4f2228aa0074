import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type VisibilityState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';

export const GRID_ROW_HEIGHT = 34;

const useStyles = makeStyles({
  scroller: {
    flexGrow: 1,
    minHeight: 0,
    overflow: 'auto',
    position: 'relative',
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  table: { display: 'grid', minWidth: '100%', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground1 },
  /** The column that takes the width left over in a wide window (its size is its least). */
  grow: { flexGrow: 1, flexShrink: 0 },
  thead: {
    display: 'grid',
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground2,
    boxShadow: `inset 0 -1px 0 ${tokens.colorNeutralStroke1}`,
  },
  tr: { display: 'flex', width: '100%' },
  th: {
    position: 'relative',
    display: 'flex',
    alignItems: 'center',
    height: '30px',
    padding: '0 8px',
    boxSizing: 'border-box',
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    borderRight: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  resizer: {
    position: 'absolute',
    right: 0,
    top: 0,
    height: '100%',
    width: '5px',
    cursor: 'col-resize',
    userSelect: 'none',
    touchAction: 'none',
    ':hover': { backgroundColor: tokens.colorBrandStroke1 },
  },
  resizing: { backgroundColor: tokens.colorBrandStroke1 },
  tbody: { display: 'grid', position: 'relative' },
  row: {
    display: 'flex',
    position: 'absolute',
    left: 0,
    width: '100%',
    boxSizing: 'border-box',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  clickable: { cursor: 'pointer' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected, ':hover': { backgroundColor: tokens.colorNeutralBackground1Selected } },
  dim: { color: tokens.colorNeutralForeground4 },
  td: {
    display: 'flex',
    alignItems: 'center',
    padding: '0 8px',
    boxSizing: 'border-box',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  },
  /** The cell's content: a flex container cannot end its own text with an ellipsis, so its one child does. */
  cellText: { minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  numeric: { justifyContent: 'flex-end', fontVariantNumeric: 'tabular-nums', textAlign: 'right' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

export interface VirtualGridProps<T> {
  rows: T[];
  // TanStack's own column type: each column's value type differs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  /** More rows follow the last loaded one: scrolling near the end asks for them. */
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  /** A new query scrolls back to the top. */
  queryKey: string;
  label: string;
  testId: string;
  scrollerTestId: string;
  rowTestId: string | ((row: T) => string);
  cellTestIdPrefix: string;
  visibility?: VisibilityState;
  numericColumns?: ReadonlySet<string>;
  monoColumns?: ReadonlySet<string>;
  /** Extra data-* attributes of a row (tests find rows by them). */
  rowData?: (row: T) => Record<string, string | number>;
  /** Rows can be chosen: by click, or Up/Down/Enter while the grid has the focus. */
  selectedId?: string | null;
  onSelect?: (row: T) => void;
  dimRow?: (row: T) => boolean;
  /** Shown under the header when there are no rows and nothing is loading. */
  empty?: ReactNode;
  /** The column that widens to fill a wide window (e.g. the name), so long text is cut only where space is short. */
  growColumn?: string;
}

/** A dense, virtualized grid (only the visible rows are in the page) with resizable columns and infinite scroll. */
/** A cell whose text is cut off (…) shows it whole as a tooltip; a cell with its own title keeps it. */
function showTruncated(e: MouseEvent<HTMLElement>) {
  const el = e.currentTarget;
  const text = (el.firstElementChild as HTMLElement | null) ?? el;
  const cut = text.scrollWidth > text.clientWidth || el.scrollWidth > el.clientWidth;
  if (cut && !el.querySelector('[title]')) el.title = el.innerText;
  else if (!cut) el.removeAttribute('title');
}

export function VirtualGrid<T>(p: VirtualGridProps<T>) {
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const table = useReactTable({
    data: p.rows,
    columns: p.columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: p.getRowId,
    columnResizeMode: 'onChange',
    state: { columnVisibility: p.visibility ?? {} },
  });
  const virtualizer = useVirtualizer({
    count: p.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => GRID_ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { hasMore, loading, onLoadMore } = p;
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= p.rows.length - 60) onLoadMore();
  }, [hasMore, loading, lastIndex, p.rows.length, onLoadMore]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [p.queryKey]);

  const tableRows = table.getRowModel().rows;
  const selectedIndex = p.selectedId == null ? -1 : tableRows.findIndex((r) => r.id === p.selectedId);
  const onKeyDown = (e: KeyboardEvent) => {
    if (!p.onSelect || tableRows.length === 0 || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(tableRows.length - 1, selectedIndex + (e.key === 'ArrowDown' ? 1 : -1)));
    virtualizer.scrollToIndex(next);
    p.onSelect(tableRows[next]!.original);
  };
  const cellClass = (id: string) =>
    mergeClasses(styles.td, p.numericColumns?.has(id) && styles.numeric, p.monoColumns?.has(id) && styles.mono, p.growColumn === id && styles.grow);
  return (
    <div ref={scrollRef} className={styles.scroller} data-testid={p.scrollerTestId} tabIndex={0} onKeyDown={onKeyDown}>
      <table className={styles.table} style={{ width: table.getTotalSize() }} aria-label={p.label} aria-rowcount={p.rows.length + 1} data-testid={p.testId}>
        <thead className={styles.thead}>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id} className={styles.tr}>
              {g.headers.map((h) => (
                <th
                  key={h.id}
                  className={mergeClasses(styles.th, p.numericColumns?.has(h.column.id) && styles.numeric, p.growColumn === h.column.id && styles.grow)}
                  style={{ width: h.getSize() }}
                  scope="col"
                >
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  <div
                    onMouseDown={h.getResizeHandler()}
                    onTouchStart={h.getResizeHandler()}
                    onDoubleClick={() => h.column.resetSize()}
                    className={mergeClasses(styles.resizer, h.column.getIsResizing() && styles.resizing)}
                    role="separator"
                    aria-label={`Resize ${typeof h.column.columnDef.header === 'string' ? h.column.columnDef.header : h.column.id}`}
                  />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className={styles.tbody} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = tableRows[item.index];
            if (!row) return null;
            const selected = row.id === p.selectedId;
            return (
              <tr
                key={row.id}
                className={mergeClasses(styles.row, p.onSelect && styles.clickable, selected && styles.selected, p.dimRow?.(row.original) && styles.dim)}
                style={{ transform: `translateY(${item.start}px)`, height: GRID_ROW_HEIGHT }}
                onClick={p.onSelect ? () => p.onSelect!(row.original) : undefined}
                aria-selected={p.onSelect ? selected : undefined}
                data-testid={typeof p.rowTestId === 'string' ? p.rowTestId : p.rowTestId(row.original)}
                {...Object.fromEntries(Object.entries(p.rowData?.(row.original) ?? {}).map(([k, v]) => [`data-${k}`, v]))}
              >
                {row.getVisibleCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={cellClass(cell.column.id)}
                    style={{ width: cell.column.getSize() }}
                    data-testid={`${p.cellTestIdPrefix}-${cell.column.id}`}
                    onMouseEnter={showTruncated}
                  >
                    <span className={styles.cellText}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</span>
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!p.loading && p.rows.length === 0 ? p.empty : null}
    </div>
  );
}
