import { tokens } from '@fluentui/react-components';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StockPoint } from '../../shared/enquiry';
import { formatQuantity } from '../common/format';
import { formatMs, isoDay } from './enquiry-format';

/** A product's stock level over time (its own script with recharts, loaded when a product's details first open). */
export function StockLevelChart({ history, scale, unit }: { history: StockPoint[]; scale: number; unit: string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={history} margin={{ left: 0, right: 8, top: 4, bottom: 0 }}>
        <CartesianGrid stroke={tokens.colorNeutralStroke3} strokeDasharray="3 3" />
        <XAxis dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => isoDay(v).slice(5)} fontSize={10} />
        <YAxis fontSize={10} width={48} tickFormatter={(v: number) => formatQuantity(Math.round(v), scale)} />
        <Tooltip labelFormatter={(v) => formatMs(Number(v))} formatter={(v) => [`${formatQuantity(Number(v), scale)} ${unit}`, 'Stock level']} />
        <Line type="stepAfter" dataKey="balance" stroke={tokens.colorBrandForeground1} dot={history.length < 80 ? { r: 2 } : false} isAnimationActive={false} strokeWidth={1.5} />
      </LineChart>
    </ResponsiveContainer>
  );
}
