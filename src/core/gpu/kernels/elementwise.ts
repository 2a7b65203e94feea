import { bindings, grid, type GTensor, type Plan } from '../plan';
import type { GradTarget } from './conv';

function map(plan: Plan, count: number, list: Parameters<typeof bindings>[0], body: string): void {
  const b = bindings(list);
  const { groups, index } = grid(count);
  plan.dispatch(`${b.header}\n@compute @workgroup_size(256)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>) {\n  ${index}\n  ${body}\n}`, b.views, groups);
}

const into = (t: GradTarget, v: string) => `DX[i] = ${t.accumulate ? 'DX[i] + ' : ''}${v};`;

/** a + b (the residual connection). */
export function add(plan: Plan, a: GTensor, b: GTensor): GTensor {
  const out = plan.tensor(a.shape);
  map(plan, a.length, [['A', a], ['B', b], ['O', out, true]], 'O[i] = A[i] + B[i];');
  return out;
}

/** clip(a + b, −1, 1), keeping the sum for the gradient: an identity-start generator's output. */
export function addClip(plan: Plan, a: GTensor, b: GTensor): { sum: GTensor; out: GTensor } {
  const sum = plan.tensor(a.shape);
  const out = plan.tensor(a.shape);
  map(plan, a.length, [['A', a], ['B', b], ['S', sum, true], ['O', out, true]], 'let s = A[i] + B[i]; S[i] = s; O[i] = clamp(s, -1.0, 1.0);');
  return { sum, out };
}

/** Passes (adds) a gradient on, where `sum` (if given) lay inside [−1, 1] as tfjs's clip gradient does. */
export function passGrad(plan: Plan, dy: GTensor, dx: GradTarget, sum: GTensor | null = null): void {
  const v = sum ? 'select(0.0, DY[i], S[i] >= -1.0 && S[i] <= 1.0)' : 'DY[i]';
  map(plan, dy.length, [['DY', dy], ['S', sum], ['DX', dx.view, true]], into(dx, v));
}
