import type { TrainingConfig } from '../config';
import type { Rng } from '../data/random';
import { COLOUR_IMAGES_PER_STEP } from '../gan/colourReference';
import { LOSS_NAMES, type LossName } from '../gan/state';
import { learningRateAt } from '../gan/schedule';
import type { GpuDevice } from './device';
import { adam, SETTING, SETTING_COUNT } from './kernels/adam';
import { colourLoss } from './kernels/colourLoss';
import { discriminatorLoss, generatorAdversarial, l1Loss, type LossOut } from './kernels/losses';
import { discriminatorForward, generatorForward, gradeForwardOnly } from './networks';
import { ParamGroup, type WeightSpec } from './params';
import { Plan, type GTensor, type View } from './plan';
import { Tape } from './tape';

const slot = (name: LossName) => LOSS_NAMES.indexOf(name);
const MAP_READ = 0x1 | 0x8;
/** Loss readbacks that may be in flight at once: the trainer reads at most two steps behind. */
const READBACK_RING = 4;

/** The weights of a CycleGAN's four networks, each in tfjs's order. */
export interface CycleGanSpecs {
  genAB: WeightSpec[];
  genBA: WeightSpec[];
  discA: WeightSpec[];
  discB: WeightSpec[];
}

/** The sets the colour loss grades and the other set's statistics, as colourReference.ts gives them to tfjs. */
export interface EngineColourReference {
  content: Float32Array<ArrayBuffer>;
  style: Float32Array<ArrayBuffer>;
  contentCount: number;
  styleCount: number;
  contentStats: Float32Array<ArrayBuffer>;
  styleStats: Float32Array<ArrayBuffer>;
}

/**
 * CycleGAN's training step compiled for WebGPU: the same networks, losses, image pool and
 * Adam as gan/cycleGan.ts, as one plan of prebuilt dispatches. A step writes the two batches
 * and the step's settings, replays the plan into one command encoder and submits it; the
 * losses come back asynchronously.
 */
export class CycleGanEngine {
  readonly g: ParamGroup;
  readonly d: ParamGroup;
  stepCount = 0;
  /** CPU time of the last step's encoding and submission, in ms. */
  lastEncodeMs = 0;
  private plan: Plan | null = null;
  private planKey = '';
  private readonly images: number;
  private readonly realA: GTensor;
  private readonly realB: GTensor;
  private readonly settings: GTensor;
  private readonly losses: GTensor;
  private readonly pools: { A: GTensor; B: GTensor; sizes: { A: number; B: number } };
  private colour: { content: GTensor; style: GTensor; contentStats: GTensor; styleStats: GTensor; windows: { A: GTensor; B: GTensor }; counts: { A: number; B: number }; filled: boolean } | null = null;
  private readonly staging: GPUBuffer[] = [];
  private readonly owned: GTensor[] = [];
  private config: TrainingConfig;

  constructor(
    private readonly gpu: GpuDevice,
    config: TrainingConfig,
    specs: CycleGanSpecs,
    private readonly poolRng: Rng,
  ) {
    this.config = { ...config };
    this.g = new ParamGroup(gpu, [...specs.genAB, ...specs.genBA]);
    this.d = new ParamGroup(gpu, [...specs.discA, ...specs.discB]);
    const { batchSize: b, resolution: r, poolSize } = config;
    this.images = b * r * r * 3;
    this.realA = this.own([b, r, r, 3]);
    this.realB = this.own([b, r, r, 3]);
    this.settings = this.own([SETTING_COUNT]);
    this.losses = this.own([LOSS_NAMES.length]);
    this.pools = { A: this.own([Math.max(poolSize, 1), r, r, 3]), B: this.own([Math.max(poolSize, 1), r, r, 3]), sizes: { A: 0, B: 0 } };
    for (let i = 0; i < READBACK_RING; i++) this.staging.push(gpu.device.createBuffer({ size: LOSS_NAMES.length * 4, usage: MAP_READ }));
  }

  private own(shape: number[]): GTensor {
    const length = shape.reduce((a, b) => a * b, 1);
    const t = { buffer: this.gpu.buffer(length * 4), offset: 0, length, shape };
    this.owned.push(t);
    return t;
  }

  /** Settings that change the step's structure rebuild the plan on the next step; the others are read from the settings buffer. */
  updateSettings(update: Partial<TrainingConfig>): void {
    this.config = { ...this.config, ...update };
  }

  /** The sets and statistics the colour loss compares (see gan/colourReference.ts). */
  useColourReference(ref: EngineColourReference): void {
    this.disposeColour();
    const r = this.config.resolution;
    const upload = (values: Float32Array<ArrayBuffer>, shape: number[]) => {
      const t = this.own(shape);
      this.gpu.device.queue.writeBuffer(t.buffer, 0, values);
      return t;
    };
    const window = (count: number) => this.own([Math.min(count, COLOUR_IMAGES_PER_STEP), r, r, 3]);
    this.colour = {
      content: upload(ref.content, [ref.contentCount, r, r, 3]),
      style: upload(ref.style, [ref.styleCount, r, r, 3]),
      contentStats: upload(ref.contentStats, [9]),
      styleStats: upload(ref.styleStats, [9]),
      windows: { A: window(ref.contentCount), B: window(ref.styleCount) },
      counts: { A: ref.contentCount, B: ref.styleCount },
      filled: false,
    };
    this.planKey = '';
  }

  private disposeColour(): void {
    if (!this.colour) return;
    const { content, style, contentStats, styleStats, windows } = this.colour;
    for (const t of [content, style, contentStats, styleStats, windows.A, windows.B]) {
      this.owned.splice(this.owned.indexOf(t), 1);
      this.gpu.destroy(t.buffer);
    }
    this.colour = null;
  }

  /** The compiled plan (built if needed), for profiling. */
  get compiled(): Plan {
    return this.ensurePlan();
  }

  /** Dispatches per step (builds the plan if needed). */
  get dispatches(): number {
    return this.ensurePlan().dispatches;
  }

  /** What decides the plan's shape: the loss terms that are on. */
  private structure(): string {
    const c = this.config;
    const identity = c.generatorStart === 'identity';
    return [c.lambdaIdentity > 0, identity && c.lambdaColour > 0 && this.colour !== null, identity && c.lambdaChange > 0].join();
  }

  private ensurePlan(): Plan {
    const key = this.structure();
    if (this.plan && key === this.planKey) return this.plan;
    this.plan?.dispose();
    this.plan = this.build();
    this.planKey = key;
    return this.plan;
  }

  private build(): Plan {
    const plan = new Plan(this.gpu);
    const c = this.config;
    const [idt, useColour, change] = this.structure().split(',').map((s) => s === 'true');
    const gen = { filters: c.genFilters, resBlocks: c.genResBlocks, start: c.generatorStart };
    const disc = { filters: c.discFilters, layers: c.discLayers };
    const settings: View = this.settings;
    const out = (name: LossName, index?: number): LossOut => ({ losses: this.losses, slot: slot(name), weight: index === undefined ? 1 : { settings, index } });
    const b = c.batchSize;
    const bytes = this.images * 4;

    // Generators' phase: every generator term, backward, Adam.
    plan.encodeWith((e) => e.clearBuffer(this.g.grads));
    plan.encodeWith((e) => e.clearBuffer(this.losses.buffer));
    const tg = new Tape(plan, this.g);
    const G = generatorForward(tg, this.g, 'G_AtoB', gen, this.realA);
    const F = generatorForward(tg, this.g, 'F_BtoA', gen, this.realB);
    const logitsB = discriminatorForward(tg, this.d, 'D_B', disc, G.out);
    const logitsA = discriminatorForward(tg, this.d, 'D_A', disc, F.out);
    const recA = generatorForward(tg, this.g, 'F_BtoA', gen, G.out).out;
    const recB = generatorForward(tg, this.g, 'G_AtoB', gen, F.out).out;
    const idtB = idt ? generatorForward(tg, this.g, 'G_AtoB', gen, this.realB).out : null;
    const idtA = idt ? generatorForward(tg, this.g, 'F_BtoA', gen, this.realA).out : null;
    const colour = useColour && this.colour ? this.colour : null;
    const gradeName = (network: string) => this.g.specs.find((s) => s.name.startsWith(`${network}_grade`))!.name.split('/')[0];
    const gradedWindows = colour
      ? { A: gradeForwardOnly(tg, this.g, gradeName('G_AtoB'), colour.windows.A), B: gradeForwardOnly(tg, this.g, gradeName('F_BtoA'), colour.windows.B) }
      : null;
    generatorAdversarial(plan, c.adversarialLoss, logitsB, tg.target(logitsB), out('advG'));
    generatorAdversarial(plan, c.adversarialLoss, logitsA, tg.target(logitsA), out('advF'));
    l1Loss(plan, recA, this.realA, tg.target(recA), null, out('cycleA', SETTING.lambdaCycle));
    l1Loss(plan, recB, this.realB, tg.target(recB), null, out('cycleB', SETTING.lambdaCycle));
    if (idtB && idtA) {
      l1Loss(plan, idtB, this.realB, tg.target(idtB), null, out('idtG', SETTING.lambdaIdentity));
      l1Loss(plan, idtA, this.realA, tg.target(idtA), null, out('idtF', SETTING.lambdaIdentity));
    }
    if (colour && gradedWindows) {
      const colourOut = (name: LossName) => ({ losses: this.losses, slot: slot(name), weight: { settings, index: SETTING.lambdaColour } });
      colourLoss(plan, gradedWindows.A, colour.styleStats, tg.target(gradedWindows.A).view as GTensor, colourOut('colourG'));
      colourLoss(plan, gradedWindows.B, colour.contentStats, tg.target(gradedWindows.B).view as GTensor, colourOut('colourF'));
    }
    if (change && G.graded && F.graded) {
      l1Loss(plan, G.out, G.graded, tg.target(G.out), tg.target(G.graded), out('changeG', SETTING.lambdaChange));
      l1Loss(plan, F.out, F.graded, tg.target(F.out), tg.target(F.graded), out('changeF', SETTING.lambdaChange));
    }
    tg.backward();
    adam(plan, 'G', this.g.all('values'), this.g.all('grads'), this.g.all('m'), this.g.all('v'), settings);

    // Discriminators' phase on [real; pooled fake] batches.
    const inputs = { A: plan.tensor([2 * b, c.resolution, c.resolution, 3]), B: plan.tensor([2 * b, c.resolution, c.resolution, 3]) };
    const fakes = { A: F.out, B: G.out };
    const reals = { A: this.realA, B: this.realB };
    plan.encodeWith((e) => {
      e.clearBuffer(this.d.grads);
      for (const side of ['A', 'B'] as const) {
        e.copyBufferToBuffer(reals[side].buffer, 0, inputs[side].buffer, 0, bytes);
        this.queryPool(e, side, fakes[side], inputs[side], bytes / b);
      }
    });
    const td = new Tape(plan, this.d);
    const dA = discriminatorForward(td, this.d, 'D_A', disc, inputs.A);
    const dB = discriminatorForward(td, this.d, 'D_B', disc, inputs.B);
    discriminatorLoss(plan, c.adversarialLoss, dA, td.target(dA).view as GTensor, out('dA'));
    discriminatorLoss(plan, c.adversarialLoss, dB, td.target(dB).view as GTensor, out('dB'));
    td.backward();
    adam(plan, 'D', this.d.all('values'), this.d.all('grads'), this.d.all('m'), this.d.all('v'), settings);
    if (colour) {
      // This step's windows of the reference sets, as colourWindow picks them in tfjs.
      plan.encodeWith((e) => this.copyWindows(e, colour));
    }
    return plan;
  }

  /** ImagePool.query with copies: each fake either goes to the discriminator or swaps with a stored one (same random draws as tfjs). */
  private queryPool(e: GPUCommandEncoder, side: 'A' | 'B', fakes: GTensor, into: GTensor, imageBytes: number): void {
    const capacity = this.config.poolSize;
    const pool = this.pools[side];
    const half = this.config.batchSize * imageBytes;
    for (let i = 0; i < this.config.batchSize; i++) {
      const at = half + i * imageBytes;
      if (capacity === 0) {
        e.copyBufferToBuffer(fakes.buffer, i * imageBytes, into.buffer, at, imageBytes);
      } else if (this.pools.sizes[side] < capacity) {
        e.copyBufferToBuffer(fakes.buffer, i * imageBytes, pool.buffer, this.pools.sizes[side] * imageBytes, imageBytes);
        this.pools.sizes[side] += 1;
        e.copyBufferToBuffer(fakes.buffer, i * imageBytes, into.buffer, at, imageBytes);
      } else if (this.poolRng.next() < 0.5) {
        const slotIndex = this.poolRng.int(capacity);
        e.copyBufferToBuffer(pool.buffer, slotIndex * imageBytes, into.buffer, at, imageBytes);
        e.copyBufferToBuffer(fakes.buffer, i * imageBytes, pool.buffer, slotIndex * imageBytes, imageBytes);
      } else {
        e.copyBufferToBuffer(fakes.buffer, i * imageBytes, into.buffer, at, imageBytes);
      }
    }
  }

  private copyWindows(e: GPUCommandEncoder, colour: NonNullable<CycleGanEngine['colour']>): void {
    // Written for the next step: the window of step s starts at s·8 (mod the set's size).
    const imageBytes = (this.images / this.config.batchSize) * 4;
    for (const [side, source] of [['A', colour.content], ['B', colour.style]] as const) {
      const n = colour.counts[side];
      if (n <= COLOUR_IMAGES_PER_STEP) {
        e.copyBufferToBuffer(source.buffer, 0, colour.windows[side].buffer, 0, n * imageBytes);
        continue;
      }
      const start = (this.stepCount * COLOUR_IMAGES_PER_STEP) % n;
      for (let i = 0; i < COLOUR_IMAGES_PER_STEP; i++) {
        e.copyBufferToBuffer(source.buffer, ((start + i) % n) * imageBytes, colour.windows[side].buffer, i * imageBytes, imageBytes);
      }
    }
  }

  private writeSettings(): void {
    const c = this.config;
    const t = this.stepCount + 1;
    const lr = (base: number) => learningRateAt(base, this.stepCount, c.decayStartStep, c.totalSteps);
    const values = new Float32Array(SETTING_COUNT);
    values[SETTING.lrG] = lr(c.learningRateG);
    values[SETTING.lrD] = lr(c.learningRateD);
    values[SETTING.beta1] = c.beta1;
    values[SETTING.beta2] = c.beta2;
    values[SETTING.epsilon] = 1e-7;
    values[SETTING.correctionG1] = values[SETTING.correctionD1] = 1 - c.beta1 ** t;
    values[SETTING.correctionG2] = values[SETTING.correctionD2] = 1 - c.beta2 ** t;
    values[SETTING.lambdaCycle] = c.lambdaCycle;
    values[SETTING.lambdaIdentity] = c.lambdaCycle * c.lambdaIdentity;
    values[SETTING.lambdaColour] = c.lambdaColour;
    values[SETTING.lambdaChange] = c.lambdaChange;
    this.gpu.device.queue.writeBuffer(this.settings.buffer, 0, values);
  }

  /**
   * One training step on batches in [-1, 1] (NHWC, batchSize × resolution² × 3). Returns the
   * step's losses in LOSS_NAMES order once the GPU has run it (totalG summed here).
   */
  step(realA: Float32Array<ArrayBuffer>, realB: Float32Array<ArrayBuffer>): Promise<Float32Array> {
    if (realA.length !== this.images || realB.length !== this.images) throw new Error(`Expected batches of ${this.images} values, got ${realA.length} and ${realB.length}`);
    const plan = this.ensurePlan();
    const { queue } = this.gpu.device;
    if (this.colour && !this.colour.filled) {
      // A new reference: this step's windows (later steps' are copied at the end of the step before).
      const encoder = this.gpu.device.createCommandEncoder();
      this.copyWindows(encoder, this.colour);
      queue.submit([encoder.finish()]);
      this.colour.filled = true;
    }
    const started = performance.now();
    queue.writeBuffer(this.realA.buffer, 0, realA);
    queue.writeBuffer(this.realB.buffer, 0, realB);
    this.writeSettings();
    this.stepCount += 1;
    const encoder = this.gpu.device.createCommandEncoder();
    plan.encode(encoder);
    const staging = this.staging.shift();
    if (!staging) throw new Error(`More than ${READBACK_RING} steps are waiting for their losses`);
    encoder.copyBufferToBuffer(this.losses.buffer, 0, staging, 0, LOSS_NAMES.length * 4);
    queue.submit([encoder.finish()]);
    this.lastEncodeMs = performance.now() - started;
    return staging.mapAsync(1).then(() => {
      const values = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      this.staging.push(staging);
      const generatorTerms = LOSS_NAMES.filter((n) => !['dA', 'dB', 'totalG'].includes(n));
      values[slot('totalG')] = generatorTerms.reduce((s, n) => s + values[slot(n)], 0);
      return values;
    });
  }

  dispose(): void {
    this.plan?.dispose();
    this.g.dispose();
    this.d.dispose();
    for (const t of this.owned) this.gpu.destroy(t.buffer);
    this.owned.length = 0;
    for (const s of this.staging) s.destroy();
  }
}
