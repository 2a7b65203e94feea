import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { QualityPoint } from '../../core/gan/state';

/**
 * The quality scores over training: SWD to the style set (lower is better) and, for the demos,
 * PSNR against the filter (higher is better), each on its own axis.
 */
export function QualityChart({ points }: { points: QualityPoint[] }) {
  const hasPsnr = points.some((p) => p.psnr !== undefined);
  return (
    <figure className="chart" aria-label="Quality">
      <figcaption>
        Quality <span className="chart-note">— SWD to the style set, lower is better{hasPsnr ? '; PSNR against the filter, higher is better' : ''}</span>
      </figcaption>
      {points.length === 0 ? (
        <p className="hint">Scored on the first step and every 50 steps.</p>
      ) : (
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e4ec" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tickCount={6} allowDecimals={false} />
            <YAxis yAxisId="swd" domain={['auto', 'auto']} width={48} tickFormatter={(v: number) => v.toPrecision(3)} />
            {hasPsnr && <YAxis yAxisId="psnr" orientation="right" domain={['auto', 'auto']} width={40} tickFormatter={(v: number) => v.toFixed(1)} />}
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} labelFormatter={(s) => `step ${s}`} isAnimationActive={false} />
            <Legend />
            <Line yAxisId="swd" dataKey="swd" name="SWD ×10³" stroke="#6a4c93" dot strokeWidth={1.6} isAnimationActive={false} connectNulls />
            {hasPsnr && <Line yAxisId="psnr" dataKey="psnr" name="PSNR (dB)" stroke="#1982c4" dot strokeWidth={1.6} isAnimationActive={false} connectNulls />}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
