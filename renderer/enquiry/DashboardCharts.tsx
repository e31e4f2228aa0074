import type { DashboardData } from '../../shared/enquiry';
import { formatCount, formatDay, formatMoney, formatMoneyTick, formatQuantity, formatShortDay, plural } from '../common/format';
import { AXIS_FONT, AXIS_TEXT, ChartFrame, ChartLegend, GRID_STROKE, XLabels, XTicks, YTicks } from './ChartFrame';
import { band, bandAt, linePaths, linearScale, pointAt, pointX, stackedBarPaths, type Plot } from './chart-geometry';
import { labelInterval, niceTicks } from './chart-scale';
import type { TypeSeries } from './dashboard-series';

/**
 * The Dashboard's three charts, drawn as plain SVG (a handful of shapes each: one path per series) instead of
 * recharts, whose first stacked-bar chart took over half a second of one task to draw (issue 14, "Never freeze").
 */

/** Room one date label needs on the axis, gap included ("30/12" or "12/30" at 11 px). */
const DAY_LABEL_PX = 48;
const HIGHLIGHT = 'rgba(0, 0, 0, 0.06)';
const textWidth = (text: string) => 12 + 7 * text.length;

export function TypesChart({ series }: { series: TypeSeries }) {
  const { ticks } = niceTicks(0, Math.max(0, ...series.totals));
  const max = ticks.at(-1) ?? 1;
  const yWidth = textWidth(formatCount(max));
  const days = series.days.length;
  return (
    <ChartFrame
      label={`Movements per day by movement type, ${formatDay(series.days[0])} to ${formatDay(series.days.at(-1))}`}
      count={days}
      margin={() => ({ left: yWidth, right: 8, top: 6, bottom: 20 })}
      pick={(plot, x) => bandAt(plot, days, x)}
      anchor={(plot, i) => ({ x: band(plot, days, i).x + band(plot, days, i).width / 2, y: plot.top })}
      tooltip={(i) => (
        <>
          <div style={{ fontWeight: 600 }}>{formatDay(series.days[i])}</div>
          {series.keys.map((k, s) =>
            series.values[s]![i] ? (
              <div key={k.code} style={{ color: k.colour }}>
                {k.name}: {plural(series.values[s]![i]!, 'movement')}
              </div>
            ) : null,
          )}
          <div>Total: {plural(series.totals[i]!, 'movement')}</div>
        </>
      )}
      legend={<ChartLegend items={series.keys.map((k) => ({ name: k.name, colour: k.colour }))} />}
    >
      {(plot, _size, active) => {
        const y = linearScale(0, max, plot.top + plot.height, plot.top);
        const paths = stackedBarPaths(plot, series.values, max);
        const b = active === null ? null : band(plot, days, active);
        return (
          <>
            <YTicks plot={plot} ticks={ticks} y={y} format={formatCount} />
            {b ? <rect x={b.x} y={plot.top} width={b.width} height={plot.height} fill={HIGHLIGHT} /> : null}
            {series.keys.map((k, s) => (paths[s] ? <path key={k.code} d={paths[s]} fill={k.colour} data-testid="chart-series" data-series={k.name} /> : null))}
            <XLabels
              plot={plot}
              labels={series.days.map(formatShortDay)}
              x={(i) => band(plot, days, i).x + band(plot, days, i).width / 2}
              interval={labelInterval(days, plot.width, DAY_LABEL_PX)}
            />
          </>
        );
      }}
    </ChartFrame>
  );
}

export function ValueChart({ value }: { value: DashboardData['value'] }) {
  const values = value.map((v) => v.value);
  const { ticks, step } = niceTicks(Math.min(...values), Math.max(...values));
  const lo = ticks[0] ?? 0;
  const hi = ticks.at(-1) ?? 1;
  const label = (v: number) => formatMoneyTick(v, step);
  const yWidth = Math.max(...ticks.map((t) => textWidth(label(t))));
  const n = value.length;
  return (
    <ChartFrame
      label={`Stock value at the end of each day, ${formatDay(value[0]?.day)} to ${formatDay(value.at(-1)?.day)}`}
      count={n}
      margin={() => ({ left: yWidth, right: 16, top: 6, bottom: 20 })}
      pick={(plot, x) => pointAt(plot, n, x)}
      anchor={(plot, i) => ({ x: pointX(plot, n, i), y: plot.top })}
      tooltip={(i) => (
        <>
          <div style={{ fontWeight: 600 }}>{formatDay(value[i]?.day)}</div>
          <div>Stock value (average cost): {formatMoney(value[i]?.value ?? 0)}</div>
        </>
      )}
    >
      {(plot, _size, active) => {
        const y = linearScale(lo, hi, plot.top + plot.height, plot.top);
        const { line, area } = linePaths(plot, values, lo, hi);
        return (
          <>
            <YTicks plot={plot} ticks={ticks} y={y} format={label} />
            <path d={area} fill="#cfe4fa" data-testid="chart-area" />
            <path d={line} fill="none" stroke="#0f6cbd" strokeWidth={1.5} />
            {active === null ? null : (
              <>
                <line x1={pointX(plot, n, active)} x2={pointX(plot, n, active)} y1={plot.top} y2={plot.top + plot.height} stroke={AXIS_TEXT} />
                <circle cx={pointX(plot, n, active)} cy={y(values[active] ?? 0)} r={3.5} fill="#0f6cbd" />
              </>
            )}
            <XLabels plot={plot} labels={value.map((v) => formatShortDay(v.day))} x={(i) => pointX(plot, n, i)} interval={labelInterval(n, plot.width, DAY_LABEL_PX)} />
          </>
        );
      }}
    </ChartFrame>
  );
}

/** Name column of the top movers (SKU first: two products may share a name, never a SKU). */
const MOVER_LABEL_PX = 200;
const MOVER_LABEL_CHARS = 30;

export function MoversChart({ movers }: { movers: DashboardData['topMovers'] }) {
  const { ticks, step } = niceTicks(0, Math.max(0, ...movers.map((m) => m.valueOut)), 4);
  const max = ticks.at(-1) ?? 1;
  const rows = movers.map((m) => {
    const full = `${m.sku} · ${m.name}`;
    return { ...m, full, label: full.length > MOVER_LABEL_CHARS ? `${full.slice(0, MOVER_LABEL_CHARS - 1)}…` : full };
  });
  const n = rows.length;
  const rowBand = (plot: Plot, i: number) => {
    const h = plot.height / Math.max(1, n);
    const bar = Math.max(1, Math.min(28, h * 0.8));
    return { y: plot.top + i * h, h, barY: plot.top + i * h + (h - bar) / 2, bar };
  };
  return (
    <ChartFrame
      label="Top movers by value out"
      count={n}
      margin={() => ({ left: MOVER_LABEL_PX, right: 24, top: 4, bottom: 20 })}
      pick={(plot, _x, yPx) => (n === 0 || yPx < plot.top || yPx >= plot.top + plot.height ? null : Math.min(n - 1, Math.floor(((yPx - plot.top) / plot.height) * n)))}
      anchor={(plot, i) => ({ x: linearScale(0, max, plot.left, plot.left + plot.width)(rows[i]?.valueOut ?? 0), y: rowBand(plot, i).y })}
      tooltip={(i) => {
        const m = rows[i]!;
        return (
          <>
            <div style={{ fontWeight: 600 }}>
              {m.sku} {m.name}
            </div>
            <div>
              Value out to customers (sales and despatches less refunds, at cost): {formatMoney(m.valueOut)} · {formatQuantity(m.qtyOut, m.scale)} {m.unit} out · {plural(m.movements, 'movement')}
            </div>
          </>
        );
      }}
      legend={<ChartLegend items={[{ name: 'Value out to customers: sales and despatches less refunds (at cost)', colour: '#c50f1f' }]} />}
    >
      {(plot, _size, active) => {
        const x = linearScale(0, max, plot.left, plot.left + plot.width);
        return (
          <>
            <XTicks plot={plot} ticks={ticks} x={x} format={(v) => formatMoneyTick(v, step)} />
            {active === null ? null : <rect x={0} y={rowBand(plot, active).y} width={plot.left + plot.width} height={rowBand(plot, active).h} fill={HIGHLIGHT} />}
            <g fontSize={AXIS_FONT}>
              {rows.map((m, i) => {
                const r = rowBand(plot, i);
                return (
                  <g key={m.productId}>
                    <text x={plot.left - 6} y={r.y + r.h / 2} textAnchor="end" dominantBaseline="middle" fill={AXIS_TEXT}>
                      {m.label}
                      {m.label === m.full ? null : <title>{m.full}</title>}
                    </text>
                    <rect x={plot.left} y={r.barY} width={Math.max(0, x(m.valueOut) - plot.left)} height={r.bar} fill="#c50f1f" data-testid="chart-bar" />
                  </g>
                );
              })}
            </g>
            <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.top + plot.height} stroke={GRID_STROKE} />
          </>
        );
      }}
    </ChartFrame>
  );
}
