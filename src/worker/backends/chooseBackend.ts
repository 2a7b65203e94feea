import { BACKEND_NAMES, type BackendName, type BackendReport } from './backendReport';
import type { BackendCandidate, BackendChoice, BackendSelection } from './backendControl';
import { errorMessage } from '../../shared/errorMessage';

/**
 * Picks the backend that trains fastest, not the first that initialises. Software GPU adapters
 * (SwiftShader) are skipped: they measured 15–30× slower than wasm and take tens of seconds to
 * compile shaders. cpu is only used when wasm is missing. Every other working backend is timed
 * with a warm training step and the fastest wins. A forced choice is honoured when it works.
 */
export async function chooseBackend(
  choice: BackendChoice,
  reports: BackendReport[],
  timeStep: (name: BackendName) => Promise<number>,
): Promise<BackendSelection> {
  const candidates: BackendCandidate[] = reports.map((r) => ({ ...r, verdict: r.ok ? '' : `unavailable: ${r.detail}` }));
  const byName = new Map(candidates.map((c) => [c.name, c]));

  if (choice !== 'auto') {
    const forced = byName.get(choice);
    if (forced?.ok) {
      forced.verdict = 'chosen by you';
      return { chosen: choice, forced: true, reason: `${choice} was chosen by you`, candidates };
    }
  }

  const wasmWorks = byName.get('wasm')?.ok === true;
  const toTime: BackendCandidate[] = [];
  for (const c of candidates) {
    if (!c.ok) continue;
    if (c.software) c.verdict = 'skipped: a software GPU adapter, typically 15–30× slower than wasm';
    else if (c.name === 'cpu' && wasmWorks) c.verdict = 'skipped: wasm works and is always faster than plain JavaScript';
    else toTime.push(c);
  }
  // With one contender left there is nothing to compare: skip the timing and start sooner.
  if (toTime.length === 1) {
    const only = toTime[0];
    only.verdict = 'chosen: the only fast candidate here (not timed)';
    const others = candidates.filter((c) => c !== only);
    const why = others.every((c) => !c.ok) ? 'every other backend is unavailable' : 'the others are unavailable or known to be slower here';
    return { chosen: only.name, forced: false, reason: `${unavailablePrefix(choice, byName)}${only.name} is the only fast candidate: ${why}`, candidates };
  }
  const timed: BackendCandidate[] = [];
  for (const c of toTime) {
    try {
      c.msPerStep = await timeStep(c.name);
      timed.push(c);
    } catch (error) {
      c.verdict = `failed a training step: ${errorMessage(error)}`;
    }
  }
  // Software GPUs and cpu are last resorts, in the usual order, when nothing could be timed.
  const fallback = candidates.find((c) => c.ok && !c.verdict.startsWith('failed'));
  const best = timed.reduce<BackendCandidate | undefined>((a, c) => (!a || (c.msPerStep ?? Infinity) < (a.msPerStep ?? Infinity) ? c : a), undefined) ?? fallback;
  if (!best) throw new Error(`No tfjs backend works here: ${candidates.map((c) => `${c.name} (${c.verdict})`).join('; ')}`);

  for (const c of timed) {
    c.verdict = c === best ? `fastest: ${c.msPerStep?.toFixed(0)} ms per step` : `slower: ${c.msPerStep?.toFixed(0)} ms per step`;
  }
  if (best.verdict === '' || !timed.includes(best)) best.verdict = 'chosen: the only usable backend';
  const unavailableForced = unavailablePrefix(choice, byName);
  const reason = timed.includes(best)
    ? `${unavailableForced}${best.name} trained fastest (${best.msPerStep?.toFixed(0)} ms per step)${timed.length > 1 ? ` of ${timed.map((c) => c.name).join(', ')}` : ''}`
    : `${unavailableForced}${best.name} is the only usable backend`;
  return { chosen: best.name, forced: false, reason, candidates };
}

function unavailablePrefix(choice: BackendChoice, byName: Map<BackendName, BackendCandidate>): string {
  return choice !== 'auto' ? `${choice} is unavailable (${byName.get(choice)?.detail ?? 'unknown'}), so auto chose. ` : '';
}

/** Working backends after `failed`, in preference order: where training moves when it fails. */
export function fallbackOrder(failed: BackendName, reports: BackendReport[]): BackendName[] {
  const working = new Set(reports.filter((r) => r.ok).map((r) => r.name));
  return BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(failed) + 1).filter((n) => working.has(n));
}
