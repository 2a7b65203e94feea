import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LossName } from '../../core/gan/state';
import { smooth, type ChartPoint } from '../../core/training/lossHistory';

export interface Series {
  key: LossName;
  label: string;
  colour: string;
}

interface Props {
  title: string;
  series: Series[];
  points: ChartPoint[];
  smoothing: number;
  logScale: boolean;
}

/** One chart of several losses on a shared step axis; click a legend entry to hide its line. */
export function LossChart({ title, series, points, smoothing, logScale }: Props) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const data = useMemo(() => smooth(points, smoothing), [points, smoothing]);
  // A log axis cannot show zero or negative values (hinge losses go negative): fall back to linear.
  const canLog = logScale && data.every((p) => series.every((s) => hidden.has(s.key) || p[s.key] > 0));
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <figure className="chart" aria-label={title}>
      <figcaption>
        {title}
        {logScale && !canLog ? <span className="chart-note"> (linear: some values are ≤ 0)</span> : null}
      </figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e4ec" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tickCount={6} allowDecimals={false} />
          <YAxis scale={canLog ? 'log' : 'auto'} domain={['auto', 'auto']} allowDataOverflow={false} width={48} tickFormatter={(v: number) => v.toPrecision(2)} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(s) => `step ${s}`} isAnimationActive={false} />
          <Legend onClick={(entry) => toggle(String(entry.dataKey))} wrapperStyle={{ cursor: 'pointer' }} />
          {series.map((s) => (
            <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.colour} hide={hidden.has(s.key)} dot={false} strokeWidth={1.6} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
