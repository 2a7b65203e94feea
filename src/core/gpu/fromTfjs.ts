import type { TrainingConfig } from '../config';
import type { ColourReference } from '../gan/colourReference';
import type { GanState, TensorData } from '../gan/state';
import type { Rng } from '../data/random';
import { CycleGanEngine, type EngineColourReference } from './cycleGanEngine';
import type { GpuDevice } from './device';
import type { ParamGroup } from './params';
import { readViews } from './transfer';

const specsOf = (tensors: TensorData[] = []) => tensors.map((t) => ({ name: t.name, shape: t.shape }));

/**
 * A CycleGAN engine holding a tfjs model's learned state (see {@link GanState}): weights,
 * Adam moments and step. tfjs names a moment `${weight}/m` or `/v`; a state without moments
 * (a fresh optimiser) leaves them at zero.
 */
export function cycleGanEngineFrom(gpu: GpuDevice, config: TrainingConfig, state: GanState, poolRng: Rng): CycleGanEngine {
  const n = state.networks;
  const engine = new CycleGanEngine(gpu, config, { genAB: specsOf(n.genAB), genBA: specsOf(n.genBA), discA: specsOf(n.discA), discB: specsOf(n.discB) }, poolRng);
  loadGroup(engine.g, [...(n.genAB ?? []), ...(n.genBA ?? [])], state.optimizers.g);
  loadGroup(engine.d, [...(n.discA ?? []), ...(n.discB ?? [])], state.optimizers.d);
  engine.stepCount = state.stepCount;
  return engine;
}

function loadGroup(group: ParamGroup, weights: TensorData[], optimizer: TensorData[]): void {
  group.write('values', weights.map((t) => t.values));
  const moments = new Map(optimizer.map((t) => [t.name, t.values]));
  for (const [which, suffix] of [['m', '/m'], ['v', '/v']] as const) {
    if (!group.specs.some((s) => moments.has(s.name + suffix))) continue;
    group.write(which, group.specs.map((s) => moments.get(s.name + suffix) ?? new Float32Array(s.shape.reduce((a, b) => a * b, 1))));
  }
}

/** The engine's learned state in tfjs's form, so a tfjs model (or a run file) can take it over. */
export async function engineState(gpu: GpuDevice, engine: CycleGanEngine): Promise<GanState> {
  const groups = [engine.g, engine.d];
  const flats = await readViews(gpu, groups.flatMap((g) => [g.all('values'), g.all('m'), g.all('v')]));
  const named = (group: ParamGroup, flat: Float32Array, suffix = '') => group.split(flat).map((values, i) => ({ name: group.specs[i].name + suffix, shape: group.specs[i].shape, values }));
  const [gValues, gm, gv, dValues, dm, dv] = flats;
  const byNetwork = (tensors: TensorData[], prefix: string) => tensors.filter((t) => t.name.startsWith(prefix));
  const g = named(engine.g, gValues);
  const d = named(engine.d, dValues);
  const optimizer = (group: ParamGroup, m: Float32Array, v: Float32Array): TensorData[] =>
    engine.stepCount === 0 ? [iter(0)] : [iter(engine.stepCount), ...named(group, m, '/m'), ...named(group, v, '/v')];
  return {
    stepCount: engine.stepCount,
    networks: { genAB: byNetwork(g, 'G_AtoB_'), genBA: byNetwork(g, 'F_BtoA_'), discA: byNetwork(d, 'D_A_'), discB: byNetwork(d, 'D_B_') },
    optimizers: { g: optimizer(engine.g, gm, gv), d: optimizer(engine.d, dm, dv) },
  };
}

function iter(count: number): TensorData {
  return { name: 'iter', shape: [], values: Float32Array.of(count) };
}

/** A colour reference's images and statistics read out of tfjs for the engine. */
export async function engineColourReference(reference: ColourReference): Promise<EngineColourReference> {
  const read = async (t: { data(): Promise<unknown> }) => Float32Array.from((await t.data()) as Float32Array);
  return {
    content: await read(reference.content),
    style: await read(reference.style),
    contentCount: reference.content.shape[0],
    styleCount: reference.style.shape[0],
    contentStats: await read(reference.contentStats),
    styleStats: await read(reference.styleStats),
  };
}
