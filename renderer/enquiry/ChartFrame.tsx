import { makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Plot } from './chart-geometry';

/**
 * The frame of a hand-drawn dashboard chart: sized to its box, a plot area inside the margins, the value(s) of the
 * day or row under the pointer in a tooltip, and the same by keyboard (focus the chart, ←/→ or ↑/↓, Home/End, Esc).
 * A few SVG shapes per chart, so drawing one is a short task (issue 14).
 */

const useStyles = makeStyles({
  box: { position: 'relative', width: '100%', height: '100%', display: 'flex', flexDirection: 'column', minHeight: 0 },
  area: { flexGrow: 1, minHeight: 0, position: 'relative' },
  svg: {
    position: 'absolute',
    inset: 0,
    display: 'block',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  tip: {
    position: 'absolute',
    pointerEvents: 'none',
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow8,
    padding: '6px 8px',
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  },
  legend: { display: 'flex', flexWrap: 'wrap', justifyContent: 'center', columnGap: '14px', rowGap: '2px', padding: '4px 0 2px', fontSize: '11px', margin: 0, listStyle: 'none' },
  key: { display: 'flex', alignItems: 'center', gap: '4px' },
  swatch: { width: '10px', height: '10px', flexShrink: 0 },
});

export const AXIS_FONT = 11;
export const AXIS_TEXT = '#616161';
export const GRID_STROKE = '#e0e0e0';

export interface Margin {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Width and height of an element, followed as the window resizes (0 × 0 until measured). */
function useSize(): [React.RefObject<HTMLDivElement | null>, { width: number; height: number }] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(([entry]) => {
      const width = Math.round(entry?.contentRect.width ?? 0);
      const height = Math.round(entry?.contentRect.height ?? 0);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size];
}

export function ChartFrame({
  label,
  count,
  margin,
  pick,
  anchor,
  tooltip,
  legend,
  children,
  testId = 'chart-surface',
}: {
  /** What the chart shows, for assistive technology. */
  label: string;
  /** Days or rows the pointer and the arrow keys step through. */
  count: number;
  /** Room around the plot for the axes' labels. */
  margin: (width: number) => Margin;
  /** The day or row under a pointer at (x, y) px in the chart, or null. */
  pick: (plot: Plot, x: number, y: number) => number | null;
  /** Where the tooltip of day or row i points to. */
  anchor: (plot: Plot, i: number) => { x: number; y: number };
  tooltip: (i: number) => ReactNode;
  legend?: ReactNode;
  /** The SVG content, given the plot area and the day or row shown in the tooltip. */
  children: (plot: Plot, size: { width: number; height: number }, active: number | null) => ReactNode;
  testId?: string;
}) {
  const s = useStyles();
  const [ref, size] = useSize();
  const [active, setActive] = useState<number | null>(null);
  const m = margin(size.width);
  const plot: Plot = { left: m.left, top: m.top, width: Math.max(1, size.width - m.left - m.right), height: Math.max(1, size.height - m.top - m.bottom) };
  const shown = active !== null && active < count ? active : null;
  const onKey = (e: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    let next: number | null | undefined;
    if (step !== undefined) next = shown === null ? (step > 0 ? 0 : count - 1) : Math.max(0, Math.min(count - 1, shown + step));
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Escape' && shown !== null) next = null;
    if (next === undefined || count === 0) return;
    e.preventDefault();
    e.stopPropagation();
    setActive(next);
  };
  const at = shown === null ? null : anchor(plot, shown);
  const right = at !== null && at.x > size.width / 2;
  return (
    <div className={s.box}>
      <div className={s.area} ref={ref}>
        {size.width > 0 && size.height > 0 ? (
          <svg
            className={s.svg}
            width={size.width}
            height={size.height}
            role="img"
            aria-label={label}
            tabIndex={0}
            data-testid={testId}
            onKeyDown={onKey}
            onBlur={() => setActive(null)}
            onMouseLeave={() => setActive(null)}
            onMouseMove={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              setActive(pick(plot, e.clientX - r.left, e.clientY - r.top));
            }}
          >
            {children(plot, size, shown)}
          </svg>
        ) : null}
        {at !== null && shown !== null ? (
          <div
            className={s.tip}
            role="status"
            data-testid="chart-tooltip"
            style={{
              top: Math.max(0, Math.min(at.y, size.height - 40)),
              ...(right ? { right: size.width - at.x + 12 } : { left: at.x + 12 }),
            }}
          >
            {tooltip(shown)}
          </div>
        ) : null}
      </div>
      {legend}
    </div>
  );
}

/** The series' names and colours under a chart. */
export function ChartLegend({ items }: { items: readonly { name: string; colour: string }[] }) {
  const s = useStyles();
  return (
    <ul className={s.legend} aria-label="Series">
      {items.map((it) => (
        <li key={it.name} className={s.key}>
          <span className={s.swatch} style={{ backgroundColor: it.colour }} aria-hidden />
          {it.name}
        </li>
      ))}
    </ul>
  );
}

/** Horizontal grid lines and their labels left of the plot, for a y axis from ticks[0] to the last tick. */
export function YTicks({ plot, ticks, y, format }: { plot: Plot; ticks: readonly number[]; y: (v: number) => number; format: (v: number) => string }) {
  return (
    <g fontSize={AXIS_FONT}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={plot.left} x2={plot.left + plot.width} y1={y(t)} y2={y(t)} stroke={GRID_STROKE} strokeDasharray="3 3" />
          <text x={plot.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" fill={AXIS_TEXT}>
            {format(t)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Vertical grid lines and their labels under the plot, for an x axis from ticks[0] to the last tick. */
export function XTicks({ plot, ticks, x, format }: { plot: Plot; ticks: readonly number[]; x: (v: number) => number; format: (v: number) => string }) {
  const bottom = plot.top + plot.height;
  return (
    <g fontSize={AXIS_FONT}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={plot.top} y2={bottom} stroke={GRID_STROKE} strokeDasharray="3 3" />
          <text x={x(t)} y={bottom + 14} textAnchor="middle" fill={AXIS_TEXT}>
            {format(t)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Category labels under the plot at their x, every (interval + 1)th one so they never print over each other. */
export function XLabels({ plot, labels, x, interval }: { plot: Plot; labels: readonly string[]; x: (i: number) => number; interval: number }) {
  const bottom = plot.top + plot.height;
  return (
    <g fontSize={AXIS_FONT}>
      <line x1={plot.left} x2={plot.left + plot.width} y1={bottom} y2={bottom} stroke={AXIS_TEXT} />
      {labels.map((l, i) =>
        i % (interval + 1) === 0 ? (
          <text key={i} x={x(i)} y={bottom + 14} textAnchor="middle" fill={AXIS_TEXT}>
            {l}
          </text>
        ) : null,
      )}
    </g>
  );
}
