import type { GeneratorStart } from '../config';
import { convBackwardInput, convBackwardWeight, convForward, type ConvGeometry } from './kernels/conv';
import type { Activation } from './kernels/activation';
import { add, addClip, passGrad } from './kernels/elementwise';
import { gradeBackward, gradeForward, type GradeWeights } from './kernels/grade';
import { instanceNormBackward, instanceNormForward } from './kernels/instanceNorm';
import type { ParamGroup } from './params';
import type { GTensor } from './plan';
import type { Tape } from './tape';

/** GlobalGrade's defaults in layers/customLayers.js. */
const GRADE = { knots: 8, rate: 10 };

/**
 * Layers on a tape, named as the tfjs builders name them (`${network}_${kind}${n}`, n counting
 * every layer) so each finds its weights in the tfjs order.
 */
class Layers {
  private n = 0;

  constructor(
    private readonly tape: Tape,
    private readonly params: ParamGroup,
    private readonly network: string,
  ) {}

  /** The next layer's name; layers without weights (pads, activations) still take a number. */
  next(kind: string): string {
    return `${this.network}_${kind}${++this.n}`;
  }

  private get learns(): boolean {
    return this.tape.trainable === this.params;
  }

  private out(inputs: GTensor[], y: GTensor): GTensor {
    if (this.learns || inputs.some((t) => this.tape.tracks(t))) this.tape.track(y);
    return y;
  }

  conv(x: GTensor, name: string, co: number, k: number, geometry: Pick<ConvGeometry, 'stride' | 'padTop' | 'padBottom' | 'pad' | 'up'>, act: Activation, bias: boolean): GTensor {
    const [n, h, w, ci] = x.shape;
    const g: ConvGeometry = { n, h, w, ci, co, k, ...geometry };
    const kernel = this.params.value(`${name}/kernel`);
    const b = bias ? this.params.value(`${name}/bias`) : null;
    const y = this.out([x], convForward(this.tape.plan, x, kernel, b, g, act));
    const { tape, params } = this;
    const learns = this.learns;
    tape.record([y], () => {
      const dy = tape.gradOf(y);
      if (!dy) return;
      if (tape.tracks(x)) convBackwardInput(tape.plan, dy, y, kernel, g, act, tape.target(x));
      if (learns) convBackwardWeight(tape.plan, x, dy, y, g, act, params.grad(`${name}/kernel`), bias ? params.grad(`${name}/bias`) : null);
    });
    return y;
  }

  norm(x: GTensor, name: string, act: Activation): GTensor {
    const gamma = this.params.value(`${name}/gamma`);
    const beta = this.params.value(`${name}/beta`);
    const saved = instanceNormForward(this.tape.plan, x, gamma, beta, act);
    const y = this.out([x], saved.y);
    const { tape, params } = this;
    const learns = this.learns;
    tape.record([y], () => {
      const dy = tape.gradOf(y);
      if (!dy) return;
      // A norm whose weights do not learn still needs somewhere to put their gradients: scratch.
      const dg = learns ? params.grad(`${name}/gamma`) : tape.plan.tensor([x.shape[3]]);
      const db = learns ? params.grad(`${name}/beta`) : tape.plan.tensor([x.shape[3]]);
      if (tape.tracks(x)) instanceNormBackward(tape.plan, saved, dy, gamma, dg, db, tape.target(x));
      else if (learns) instanceNormBackward(tape.plan, saved, dy, gamma, dg, db, { view: tape.plan.tensor(x.shape), accumulate: false });
    });
    return y;
  }

  add(a: GTensor, b: GTensor): GTensor {
    const y = this.out([a, b], add(this.tape.plan, a, b));
    const { tape } = this;
    tape.record([y], () => {
      const dy = tape.gradOf(y);
      if (!dy) return;
      if (tape.tracks(a)) passGrad(tape.plan, dy, tape.target(a));
      if (tape.tracks(b)) passGrad(tape.plan, dy, tape.target(b));
    });
    return y;
  }

  grade(x: GTensor, name: string): GTensor {
    const weights = gradeWeights(this.params, name, 'value');
    const y = this.out([x], gradeForward(this.tape.plan, x, weights, GRADE));
    const { tape, params } = this;
    tape.record([y], () => {
      const dy = tape.gradOf(y);
      if (!dy) return;
      gradeBackward(tape.plan, x, dy, weights, gradeWeights(params, name, 'grad'), GRADE, tape.tracks(x) ? tape.target(x) : null);
    });
    return y;
  }

  addClip(a: GTensor, b: GTensor): GTensor {
    const { sum, out } = addClip(this.tape.plan, a, b);
    const y = this.out([a, b], out);
    const { tape } = this;
    tape.record([y], () => {
      const dy = tape.gradOf(y);
      if (!dy) return;
      if (tape.tracks(a)) passGrad(tape.plan, dy, tape.target(a), sum);
      if (tape.tracks(b)) passGrad(tape.plan, dy, tape.target(b), sum);
    });
    return y;
  }
}

function gradeWeights(params: ParamGroup, name: string, which: 'value' | 'grad'): GradeWeights {
  const get = (w: string) => params[which](`${name}/${w}`);
  return { detail: get('detail'), curves: get('curves'), gain: get('gain'), offset: get('offset'), mix: get('mix') };
}

export interface GeneratorShape {
  filters: number;
  resBlocks: number;
  start: GeneratorStart;
}

/** TF's 'same' padding: the extra row goes to the bottom. */
function samePadding(size: number, k: number, stride: number): { padTop: number; padBottom: number } {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + k - size, 0);
  return { padTop: Math.floor(total / 2), padBottom: total - Math.floor(total / 2) };
}

/**
 * The ResNet generator of networks/generator.ts (resize-conv upsampling) on the tape. Returns
 * the output and, for an identity start, the input through the grade alone (the change loss's
 * reference, shared with the output's computation).
 */
export function generatorForward(tape: Tape, params: ParamGroup, network: string, shape: GeneratorShape, input: GTensor): { out: GTensor; graded: GTensor | null } {
  const L = new Layers(tape, params, network);
  const k = shape.filters;
  const reflect = (p: number) => ({ stride: 1, padTop: p, padBottom: p, pad: 'reflect' as const, up: 1 as const });
  const block = (x: GTensor, co: number, size: number, geometry: Parameters<Layers['conv']>[4], act: Activation) => {
    const y = L.conv(x, L.next('conv'), co, size, geometry, 'none', false);
    const normed = L.norm(y, L.next('in'), act);
    if (act !== 'none') L.next('relu');
    return normed;
  };
  L.next('pad');
  let x = block(input, k, 7, reflect(3), 'relu');
  for (const f of [2 * k, 4 * k]) x = block(x, f, 3, { stride: 2, pad: 'zero', up: 1, ...samePadding(x.shape[1], 3, 2) }, 'relu');
  for (let b = 0; b < shape.resBlocks; b++) {
    L.next('pad');
    const y = block(x, 4 * k, 3, reflect(1), 'relu');
    L.next('pad');
    const z = block(y, 4 * k, 3, reflect(1), 'none');
    L.next('res');
    x = L.add(x, z);
  }
  for (const f of [2 * k, k]) {
    L.next('resize');
    L.next('pad');
    x = block(x, f, 3, { ...reflect(1), up: 2 }, 'relu');
  }
  L.next('pad');
  if (shape.start === 'random') {
    const out = L.conv(x, L.next('conv'), 3, 7, reflect(3), 'tanh', true);
    L.next('tanh');
    return { out, graded: null };
  }
  const change = L.conv(x, L.next('conv'), 3, 7, reflect(3), 'none', true);
  const graded = L.grade(input, L.next('grade'));
  L.next('change');
  L.next('clip');
  return { out: L.addClip(graded, change), graded };
}

/** The grade alone on the tape (the colour loss's path), with the generator's weights. */
export function gradeForwardOnly(tape: Tape, params: ParamGroup, name: string, input: GTensor): GTensor {
  return new Layers(tape, params, '').grade(input, name);
}

/** The PatchGAN of networks/discriminator.ts on the tape: raw logits. */
export function discriminatorForward(tape: Tape, params: ParamGroup, network: string, shape: { filters: number; layers: number }, input: GTensor): GTensor {
  const L = new Layers(tape, params, network);
  let x = input;
  for (let i = 0; i < shape.layers + 2; i++) {
    const last = i === shape.layers + 1;
    const co = last ? 1 : shape.filters * Math.min(2 ** i, 8);
    const stride = i < shape.layers ? 2 : 1;
    const normed = i > 0 && !last;
    L.next('pad');
    const geometry = { stride, padTop: 1, padBottom: 1, pad: 'zero' as const, up: 1 as const };
    x = L.conv(x, L.next('conv'), co, 4, geometry, normed || last ? 'none' : 'lrelu', !normed);
    if (normed) x = L.norm(x, L.next('in'), 'lrelu');
    if (!last) L.next('lrelu');
  }
  return x;
}
