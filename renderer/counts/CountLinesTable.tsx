import { Select, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { countVariance, type CountLine, type CountResolutionChoice } from '../../shared/counts';
import { formatMoney, formatQuantity } from '../common/format';
import { CountedCell } from './CountedCell';
import { adjustmentText, lineImpact, resolutionNote, serialUnitsNote } from './count-lines-view';
import type { UnsavedCount, UnsavedCounts } from './unsaved-counts';
import { TRACKING_NAMES } from '../../shared/domain';

const ROW = 28;
const COLUMNS = [
  { id: 'sku', label: 'SKU', width: '88px' },
  { id: 'name', label: 'Product', width: 'minmax(100px, 1fr)' },
  { id: 'bin', label: 'Bin', width: '88px' },
  { id: 'batch', label: 'Batch', width: '88px' },
  { id: 'system', label: 'System', width: '70px', end: true },
  { id: 'counted', label: 'Counted', width: '92px', end: true },
  { id: 'variance', label: 'Variance', width: '72px', end: true },
  { id: 'moved', label: 'Moved since', width: '104px', end: true },
  { id: 'resolution', label: 'If moved', width: '158px' },
  { id: 'adjust', label: 'Adjustment', width: '86px', end: true },
  { id: 'value', label: 'Value', width: '84px', end: true },
] as const;
const TEMPLATE = COLUMNS.map((c) => c.width).join(' ');

const useStyles = makeStyles({
  scroller: { flexGrow: 1, minHeight: 0, overflow: 'auto', position: 'relative', borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  /** The columns' least widths: the whole sheet fits beside the count list at 1366 px wide. */
  grid: { minWidth: '1030px', fontSize: tokens.fontSizeBase200, lineHeight: `${ROW}px` },
  head: {
    display: 'grid',
    gridTemplateColumns: TEMPLATE,
    position: 'sticky',
    top: 0,
    zIndex: 1,
    height: '30px',
    alignItems: 'center',
    backgroundColor: tokens.colorNeutralBackground2,
    boxShadow: `inset 0 -1px 0 ${tokens.colorNeutralStroke1}`,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
  },
  th: { padding: '0 8px', whiteSpace: 'nowrap', borderRight: `1px solid ${tokens.colorNeutralStroke3}` },
  body: { position: 'relative' },
  row: {
    display: 'grid',
    gridTemplateColumns: TEMPLATE,
    position: 'absolute',
    left: 0,
    width: '100%',
    height: `${ROW}px`,
    alignItems: 'center',
    boxSizing: 'border-box',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  selected: { backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover } },
  td: { padding: '0 8px', overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', minWidth: 0 },
  /** The counted cell's reason for not saving is shown beside it, over the row's later columns. */
  countedTd: { overflow: 'visible', position: 'relative' },
  end: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  muted: { color: tokens.colorNeutralForeground4 },
  plus: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  minus: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  moved: { color: tokens.colorPaletteMarigoldForeground2, fontWeight: tokens.fontWeightSemibold },
  resolution: { minWidth: 0, width: '100%' },
  empty: { padding: '24px 12px', color: tokens.colorNeutralForeground3 },
});

interface Props {
  lines: CountLine[];
  /** Goes up with each reload of the sheet: every counted cell starts again from its line as loaded. */
  loads: number;
  /** The count is back-dated: its lines were counted on its date (see CountSessionInfo.backdated). */
  backdated: boolean;
  readOnly: boolean;
  selectedId: number | null;
  onSelect: (line: CountLine) => void;
  onSave: (line: CountLine, countedQty: number | null) => Promise<string | null>;
  /** Counted cells' text that is not saved, by line id (kept here while a cell is scrolled away). */
  unsaved: UnsavedCounts;
  onUnsaved: (lineId: number, unsaved: UnsavedCount | null) => void;
  /** Scroll to this line and focus its counted cell (a new object for each request). */
  goTo: { lineId: number } | null;
  onResolution: (line: CountLine, resolution: CountResolutionChoice) => void;
  onOpenCodes: (line: CountLine) => void;
}

const signed = (n: number, scale: number) => `${n > 0 ? '+' : ''}${formatQuantity(n, scale)}`;

/** The virtualized count sheet: dense rows, inline counted quantity, signed and coloured variances. */
export function CountLinesTable({ lines, loads, backdated, readOnly, selectedId, onSelect, onSave, unsaved, onUnsaved, goTo, onResolution, onOpenCodes }: Props) {
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 20 });
  // Go to a line: scroll it into the virtual window, then focus its cell once rendered (a few frames at most). Each
  // request once: the lines change as edits save, and that must not pull the view back.
  const wentTo = useRef<Props['goTo']>(null);
  useEffect(() => {
    if (!goTo || wentTo.current === goTo) return;
    const index = lines.findIndex((l) => l.id === goTo.lineId);
    if (index < 0) return;
    wentTo.current = goTo;
    virtualizer.scrollToIndex(index, { align: 'center' });
    // (not cancelled when the lines change meanwhile: the request was taken, and its focus must follow)
    let frames = 0;
    const focus = () => {
      const input = scrollRef.current?.querySelector<HTMLInputElement>(`[data-line-id="${goTo.lineId}"] [data-testid="count-counted-input"]`);
      if (input) input.focus();
      else if (frames++ < 30) requestAnimationFrame(focus);
    };
    requestAnimationFrame(focus);
    // the lines are a dependency: a filter cleared to show the line brings it in
  }, [goTo, lines, virtualizer]);
  const tone = (n: number | null) => (n === null || n === 0 ? styles.muted : n > 0 ? styles.plus : styles.minus);

  return (
    <div ref={scrollRef} className={styles.scroller} data-testid="count-lines-scroller">
      <div className={styles.grid} role="grid" aria-label="Count sheet" aria-rowcount={lines.length + 1}>
        <div className={styles.head} role="row">
          {COLUMNS.map((c) => (
            <div key={c.id} role="columnheader" className={mergeClasses(styles.th, 'end' in c && styles.end)}>
              {c.label}
            </div>
          ))}
        </div>
        <div className={styles.body} style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {virtualizer.getVirtualItems().map((item) => {
            const l = lines[item.index]!;
            const variance = countVariance(l);
            const { adjust, value } = lineImpact(l);
            const serial = l.tracking === 'SERIAL' || l.tracking === 'RFID';
            const note = serial ? null : resolutionNote(l, backdated);
            const units = serial ? serialUnitsNote(l) : null;
            return (
              <div
                key={l.id}
                role="row"
                aria-rowindex={item.index + 2}
                className={mergeClasses(styles.row, l.id === selectedId && styles.selected)}
                style={{ transform: `translateY(${item.start}px)` }}
                data-testid="count-row"
                data-line-id={l.id}
                onClick={() => onSelect(l)}
              >
                <div role="gridcell" className={mergeClasses(styles.td, styles.mono)} title={l.sku} data-testid="count-sku">
                  {l.sku}
                </div>
                <div role="gridcell" className={styles.td} title={`${l.name} · ${TRACKING_NAMES[l.tracking]}`}>
                  {l.name}
                </div>
                <div role="gridcell" className={mergeClasses(styles.td, styles.mono)} title={l.binCode ?? undefined} data-testid="count-bin">{l.binCode ?? '—'}</div>
                <div role="gridcell" className={mergeClasses(styles.td, styles.mono)} title={l.batchCode ?? undefined}>{l.batchCode ?? (serial ? TRACKING_NAMES[l.tracking] : '')}</div>
                <div role="gridcell" className={mergeClasses(styles.td, styles.end)} data-testid="count-system">
                  {formatQuantity(l.systemQty, l.scale)}
                </div>
                <div role="gridcell" className={mergeClasses(styles.td, styles.end, styles.countedTd)}>
                  <CountedCell key={`${l.id}:${loads}`} line={l} unsaved={unsaved.get(l.id)} readOnly={readOnly} onSave={onSave} onUnsaved={onUnsaved} onOpenCodes={onOpenCodes} />
                </div>
                <div
                  role="gridcell"
                  className={mergeClasses(styles.td, styles.end, units ? styles.moved : tone(variance))}
                  title={units?.title}
                  data-testid="count-variance"
                >
                  {variance === null ? '—' : units ? units.short : signed(variance, l.scale)}
                </div>
                <div
                  role="gridcell"
                  className={mergeClasses(styles.td, styles.end, l.movedQty || note ? styles.moved : styles.muted)}
                  title={note?.title ?? 'Stock moved at this quant since the snapshot'}
                  data-testid="count-moved"
                >
                  {note ? note.moved : l.movedQty ? signed(l.movedQty, l.scale) : '—'}
                </div>
                <div role="gridcell" className={styles.td} title={note?.title}>
                  {note ? (
                    <Select
                      size="small"
                      className={styles.resolution}
                      aria-label={`If moved: ${l.sku}`}
                      disabled={readOnly}
                      value={l.resolution}
                      onChange={(_, d) => onResolution(l, d.value as CountResolutionChoice)}
                    >
                      <option value="by_time">{note.byTime}</option>
                      <option value="keep_counted">Keep counted</option>
                      <option value="keep_difference">Keep difference</option>
                    </Select>
                  ) : (
                    <span className={styles.muted}>—</span>
                  )}
                </div>
                <div role="gridcell" className={mergeClasses(styles.td, styles.end, units ? styles.moved : tone(adjust))} title={units?.title} data-testid="count-adjust">
                  {adjustmentText(l)}
                </div>
                <div role="gridcell" className={mergeClasses(styles.td, styles.end, tone(value || null))}>
                  {adjust ? formatMoney(value) : '—'}
                </div>
              </div>
            );
          })}
        </div>
      </div>
      {lines.length === 0 ? (
        <Text as="p" size={200} className={styles.empty} data-testid="count-no-rows">
          No lines match these filters.
        </Text>
      ) : null}
    </div>
  );
}
