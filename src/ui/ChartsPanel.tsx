import { memo, useMemo, useState } from 'react';
import type { ModelKind } from '../core/config';
import type { ChartPoint } from '../core/training/lossHistory';
import { lossesOf, type QualityPoint } from '../core/gan/state';
import { LossChart, type Series } from './charts/LossChart';
import { QualityChart } from './charts/QualityChart';

const D_SERIES: Series[] = [
  { key: 'dA', label: 'D_A (judges A)', colour: '#d1495b' },
  { key: 'dB', label: 'D_B (judges B)', colour: '#00798c' },
];
const G_SERIES: Series[] = [
  { key: 'advG', label: 'G adversarial', colour: '#edae49' },
  { key: 'advF', label: 'F adversarial', colour: '#66a182' },
  { key: 'cycleA', label: 'cycle A', colour: '#30638e' },
  { key: 'cycleB', label: 'cycle B', colour: '#8e5572' },
  { key: 'idtG', label: 'identity G', colour: '#9c9c9c' },
  { key: 'idtF', label: 'identity F', colour: '#5c5c5c' },
  { key: 'nce', label: 'PatchNCE', colour: '#30638e' },
  { key: 'nceIdt', label: 'PatchNCE identity', colour: '#8e5572' },
  { key: 'colourG', label: 'colour G', colour: '#c05a1c' },
  { key: 'colourF', label: 'colour F', colour: '#7a4f9a' },
  { key: 'changeG', label: 'change G', colour: '#b8860b' },
  { key: 'changeF', label: 'change F', colour: '#4f7a9a' },
];

/** Discriminator and generator losses on a shared step axis, with smoothing and log scale. */
export const ChartsPanel = memo(function ChartsPanel({ points, quality, model }: { points: ChartPoint[]; quality: QualityPoint[]; model: ModelKind }) {
  // Memoised: a new series list gives the chart new options, which rebuilds its uPlot (~20 ms of main thread).
  const [dSeries, gSeries] = useMemo(() => {
    const has = new Set(lossesOf(model));
    return [D_SERIES.filter((s) => has.has(s.key)), G_SERIES.filter((s) => has.has(s.key))];
  }, [model]);
  const [smoothing, setSmoothing] = useState(0.6);
  const [logScale, setLogScale] = useState(false);
  return (
    <section className="panel charts" aria-labelledby="charts-title">
      <h2 id="charts-title">Losses and quality</h2>
      <div className="chart-controls">
        <label>
          Smoothing {smoothing.toFixed(2)}{' '}
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(e.target.valueAsNumber)} />
        </label>
        <label>
          <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> Log scale
        </label>
        <span className="hint">Click a legend entry to hide or show its line.</span>
      </div>
      <LossChart title={dSeries.length > 1 ? 'Discriminators' : 'Discriminator'} series={dSeries} points={points} smoothing={smoothing} logScale={logScale} />
      <LossChart title={gSeries.some((s) => s.key === 'advF') ? 'Generators' : 'Generator'} series={gSeries} points={points} smoothing={smoothing} logScale={logScale} />
      <QualityChart points={quality} />
    </section>
  );
});
