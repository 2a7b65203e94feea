import { bindings, grid, type Plan, type View } from '../plan';

/** Slots of the per-step settings buffer, written once per step before the step runs. */
export const SETTING = { lrG: 0, lrD: 1, beta1: 2, beta2: 3, epsilon: 4, correctionG1: 5, correctionG2: 6, correctionD1: 7, correctionD2: 8, lambdaCycle: 9, lambdaIdentity: 10, lambdaColour: 11, lambdaChange: 12 } as const;
export const SETTING_COUNT = 13;

/**
 * Adam over a whole flat parameter buffer in one dispatch, as tfjs's AdamOptimizer updates each
 * variable: m and v decay, then p −= lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε).
 */
export function adam(plan: Plan, which: 'G' | 'D', params: View, grads: View, m: View, v: View, settings: View): void {
  const { groups, index } = grid(params.length);
  const b = bindings([['P', params, true], ['G', grads], ['M', m, true], ['V', v, true], ['SET', settings]]);
  const lr = which === 'G' ? SETTING.lrG : SETTING.lrD;
  const [c1, c2] = which === 'G' ? [SETTING.correctionG1, SETTING.correctionG2] : [SETTING.correctionD1, SETTING.correctionD2];
  plan.dispatch(
    `${b.header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${index}
  let b1 = SET[${SETTING.beta1}u]; let b2 = SET[${SETTING.beta2}u];
  let g = G[i];
  let m = b1 * M[i] + (1.0 - b1) * g;
  let v = b2 * V[i] + (1.0 - b2) * g * g;
  M[i] = m;
  V[i] = v;
  P[i] = P[i] - SET[${lr}u] * (m / SET[${c1}u]) / (sqrt(v / SET[${c2}u]) + SET[${SETTING.epsilon}u]);
}`,
    b.views,
    groups,
  );
}
