import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { QualityPoint } from '../../core/gan/state';
import { UPlotChart } from './UPlotChart';

/**
 * The quality scores over training: SWD to the style set (lower is better) and, for the demos,
 * PSNR against the filter (higher is better), each on its own axis.
 */
export function QualityChart({ points }: { points: QualityPoint[] }) {
  const hasPsnr = points.some((p) => p.psnr !== undefined);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false } },
      axes: [
        { label: 'step' },
        { scale: 'swd', size: 52, values: (_u, ticks) => ticks.map((v) => (v == null ? '' : v.toPrecision(3))) },
        ...(hasPsnr ? [{ scale: 'psnr', side: 1, size: 44, grid: { show: false }, values: (_u: uPlot, ticks: (number | null)[]) => ticks.map((v) => (v == null ? '' : v.toFixed(1))) }] : []),
      ],
      series: [
        { label: 'step', value: (_u, v) => (v == null ? '—' : String(v)) },
        { label: 'SWD ×10³', scale: 'swd', stroke: '#6a4c93', width: 1.6, spanGaps: true, points: { show: true }, value: (_u, v) => (v == null ? '—' : v.toFixed(2)) },
        ...(hasPsnr ? [{ label: 'PSNR (dB)', scale: 'psnr', stroke: '#1982c4', width: 1.6, spanGaps: true, points: { show: true }, value: (_u: uPlot, v: number | null) => (v == null ? '—' : v.toFixed(2)) }] : []),
      ],
    }),
    [hasPsnr],
  );
  const data = useMemo<uPlot.AlignedData>(
    () => [points.map((p) => p.step), points.map((p) => p.swd ?? null), ...(hasPsnr ? [points.map((p) => p.psnr ?? null)] : [])],
    [points, hasPsnr],
  );
  return (
    <figure className="chart" aria-label="Quality">
      <figcaption>
        Quality <span className="chart-note">— SWD to the style set, lower is better{hasPsnr ? '; PSNR against the filter, higher is better' : ''}</span>
      </figcaption>
      {points.length === 0 ? <p className="hint">Scored on the first step and every 50 steps.</p> : <UPlotChart options={options} data={data} height={200} />}
    </figure>
  );
}
