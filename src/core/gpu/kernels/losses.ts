import type { AdversarialLoss } from '../../config';
import { bindings, float, type GTensor, type Plan, type View } from '../plan';
import type { GradTarget } from './conv';
import { reductionLanes, treeSum } from './reduce';

/*
 * Every loss is one workgroup: it sums its terms (tree reduction), writes the value to its slot
 * of the loss buffer and, in the same pass, each element's gradient (already divided by the
 * count and weighted), as losses.ts defines them for tfjs.
 */

/** Where a loss writes its value, and the weight it is multiplied by: a constant, or a slot of the step's settings (live λs). */
export interface LossOut {
  losses: View;
  slot: number;
  weight: number | { settings: View; index: number };
}

function weightOf(out: LossOut): { binding: [string, View | null]; expr: string } {
  return typeof out.weight === 'number' ? { binding: ['SET', null], expr: float(out.weight) } : { binding: ['SET', out.weight.settings], expr: `SET[${out.weight.index}u]` };
}

function reduction(plan: Plan, list: Parameters<typeof bindings>[0], count: number, body: string, out: LossOut, scale = 1): void {
  const w = weightOf(out);
  const b = bindings([...list, ['LOSS', out.losses, true], w.binding]);
  const lanes = reductionLanes(plan);
  plan.dispatch(
    `${b.header}
${treeSum(lanes)}
@compute @workgroup_size(${lanes})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let weight = ${w.expr};
  let scale = weight * ${float(scale / count)};
  var s = 0.0;
  for (var i = lid.x; i < ${count}u; i += ${lanes}u) {
    ${body}
  }
  let total = treeSum(lid.x, s);
  if (lid.x == 0u) { LOSS[${out.slot}u] = total * scale; }
}`,
    b.views,
    [1, 1, 1],
  );
}

const write = (name: string, t: GradTarget, v: string) => `${name}[i] = ${t.accumulate ? `${name}[i] + ` : ''}${v};`;
const SOFTPLUS_NEG_ABS = 'log(1.0 + exp(-abs(x)))';

/** The generator's adversarial loss on the discriminator's logits of its fakes, and their gradient. */
export function generatorAdversarial(plan: Plan, kind: AdversarialLoss, logits: GTensor, dlogits: GradTarget, out: LossOut): void {
  const [term, grad] = {
    lsgan: ['(x - 1.0) * (x - 1.0)', '2.0 * (x - 1.0)'],
    bce: [`max(x, 0.0) - x + ${SOFTPLUS_NEG_ABS}`, '1.0 / (1.0 + exp(-x)) - 1.0'],
    hinge: ['-x', '-1.0'],
  }[kind];
  reduction(plan, [['L', logits], ['DL', dlogits.view, true]], logits.length, `let x = L[i]; s += ${term}; ${write('DL', dlogits, `scale * (${grad})`)}`, out);
}

/** A discriminator's loss on one batch of logits whose first half judged real images and second half fakes: ½(real term + fake term), as CycleGAN weighs it. */
export function discriminatorLoss(plan: Plan, kind: AdversarialLoss, logits: GTensor, dlogits: GTensor, out: LossOut): void {
  const half = logits.length / 2;
  const [real, fake, realGrad, fakeGrad] = {
    lsgan: ['(x - 1.0) * (x - 1.0)', 'x * x', '2.0 * (x - 1.0)', '2.0 * x'],
    bce: [`max(x, 0.0) - x + ${SOFTPLUS_NEG_ABS}`, `max(x, 0.0) + ${SOFTPLUS_NEG_ABS}`, '1.0 / (1.0 + exp(-x)) - 1.0', '1.0 / (1.0 + exp(-x))'],
    hinge: ['max(1.0 - x, 0.0)', 'max(1.0 + x, 0.0)', 'select(0.0, -1.0, 1.0 - x > 0.0)', 'select(0.0, 1.0, 1.0 + x > 0.0)'],
  }[kind];
  reduction(
    plan,
    [['L', logits], ['DL', dlogits, true]],
    logits.length,
    `let x = L[i];
    if (i < ${half}u) { s += ${real}; DL[i] = scale * (${realGrad}); } else { s += ${fake}; DL[i] = scale * (${fakeGrad}); }`,
    out,
    // Each half's mean is over `half` logits: ½ · (1/half) = 1/count.
    1,
  );
}

/** weight · mean|a − b|, with its gradient to a (and to b when given); |x|' is tfjs's: −1 at 0. */
export function l1Loss(plan: Plan, a: GTensor, b: GTensor, da: GradTarget, db: GradTarget | null, out: LossOut): void {
  const toB = db ? write('DB', db, '-g') : '';
  reduction(
    plan,
    [['A', a], ['B', b], ['DA', da.view, true], ['DB', db?.view ?? null, true]],
    a.length,
    `let d = A[i] - B[i]; s += abs(d); let g = scale * select(-1.0, 1.0, d > 0.0); ${write('DA', da, 'g')} ${toB}`,
    out,
  );
}
