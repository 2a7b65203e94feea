import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { LossName } from '../../core/gan/state';
import { smooth, type ChartPoint } from '../../core/training/lossHistory';
import { UPlotChart } from './UPlotChart';

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
  // Lines hidden by a click on their legend entry (uPlot hides them; this keeps them hidden across rebuilds).
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const data = useMemo(() => smooth(points, smoothing), [points, smoothing]);
  // A log axis cannot show zero or negative values (hinge losses go negative): fall back to linear.
  const canLog = useMemo(() => logScale && data.every((p) => series.every((s) => hidden.has(s.key) || p[s.key] > 0)), [logScale, data, series, hidden]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false }, y: { distr: canLog ? 3 : 1 } },
      axes: [{ label: 'step' }, { size: 52, values: (_u, ticks) => ticks.map((v) => (v == null ? '' : v.toPrecision(2))) }],
      series: [
        { label: 'step', value: (_u, v) => (v == null ? '—' : String(v)) },
        ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 1.6, show: !hidden.has(s.key), value: (_u: uPlot, v: number | null) => (v == null ? '—' : v.toFixed(4)) })),
      ],
      hooks: {
        setSeries: [
          (u: uPlot, index: number | null) => {
            if (index === null) return;
            const key = series[index - 1]?.key;
            if (!key) return;
            const shown = u.series[index].show;
            setHidden((h) => {
              const next = new Set(h);
              if (shown) next.delete(key);
              else next.add(key);
              return next;
            });
          },
        ],
      },
    }),
    [series, canLog, hidden],
  );
  const aligned = useMemo<uPlot.AlignedData>(() => [data.map((p) => p.step), ...series.map((s) => data.map((p) => p[s.key]))], [data, series]);

  return (
    <figure className="chart" aria-label={title}>
      <figcaption>
        {title}
        {logScale && !canLog ? <span className="chart-note"> (linear: some values are ≤ 0)</span> : null}
      </figcaption>
      <UPlotChart options={options} data={aligned} height={220} />
    </figure>
  );
}
