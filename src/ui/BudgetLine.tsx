import { bytes, duration } from './format';
import type { Budget } from './useBudget';

/** The up-front cost of the chosen settings, and a warning when they would not fit in memory. */
export function BudgetLine({ budget, resolution, totalSteps }: { budget: Budget; resolution: number; totalSteps: number }) {
  if (budget.status === 'idle') return null;
  return (
    <div className="budget">
      <p role="status" aria-label="budget estimate">
        {budget.status === 'measuring' && 'Measuring what these settings cost here…'}
        {budget.status === 'failed' && `The cost of these settings could not be measured: ${budget.message}`}
        {budget.status === 'done' && (
          <>
            Estimate on {budget.backend}: about <strong>{duration(budget.estimate.msPer1000Steps)}</strong> per 1000 steps ({duration((budget.estimate.msPer1000Steps * totalSteps) / 1000)} for all {totalSteps}), peak memory about{' '}
            <strong>{bytes(budget.estimate.peakBytes)}</strong>
            {budget.limit.bytes !== null ? ` of ${bytes(budget.limit.bytes)}` : ''}.{' '}
            <span className="hint">
              {budget.estimate.measuredAt.includes(resolution) ? `Measured with a few steps at ${resolution} px.` : `Measured at ${budget.estimate.measuredAt.join(' and ')} px, extrapolated to ${resolution} px.`}
            </span>
          </>
        )}
      </p>
      {budget.status === 'done' && !budget.estimate.fits && (
        <p role="alert" className="warning" aria-label="budget warning">
          These settings would need about {bytes(budget.estimate.peakBytes)} at their peak, too close to or beyond {budget.limit.what}: training would most likely run out of memory. Lower the
          resolution, the batch size or the number of filters, or use fewer images.
        </p>
      )}
    </div>
  );
}
