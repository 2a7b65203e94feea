import type { GanState, TensorData } from '../core/gan/state';

/** A learned state as stored: names and shapes here, the values in `chunks` separate records. */
export interface ChunkedState {
  stepCount: number;
  networks: Record<string, { name: string; shape: number[] }[]>;
  optimizers: { g: { name: string; shape: number[] }[]; d: { name: string; shape: number[] }[] };
  chunks: number;
}

const describe = (list: TensorData[]) => list.map(({ name, shape }) => ({ name, shape }));

/** Every tensor in one order: the networks in their saved order, then both optimisers. */
function tensorsOf(state: { networks: Record<string, unknown[]>; optimizers: { g: unknown[]; d: unknown[] } }) {
  return [...Object.values(state.networks).flat(), ...state.optimizers.g, ...state.optimizers.d];
}

/**
 * Splits a state's values into chunks of about `maxBytes` (a tensor is never split), so each can
 * be written in its own request: IndexedDB copies a value on the page's thread when it is put,
 * and a whole state at once would stall the page.
 */
export function splitState(state: GanState, maxBytes: number): { layout: ChunkedState; chunks: Float32Array[][] } {
  const chunks: Float32Array[][] = [[]];
  let bytes = 0;
  for (const tensor of tensorsOf(state as GanState & { networks: Record<string, TensorData[]> }) as TensorData[]) {
    if (bytes > 0 && bytes + tensor.values.byteLength > maxBytes) {
      chunks.push([]);
      bytes = 0;
    }
    chunks[chunks.length - 1].push(tensor.values);
    bytes += tensor.values.byteLength;
  }
  const networks = Object.fromEntries(Object.entries(state.networks).map(([name, list]) => [name, describe(list ?? [])]));
  return { layout: { stepCount: state.stepCount, networks, optimizers: { g: describe(state.optimizers.g), d: describe(state.optimizers.d) }, chunks: chunks.length }, chunks };
}

/** The state again from its layout and chunks, in the order `splitState` wrote them. */
export function joinState(layout: ChunkedState, chunks: Float32Array[][]): GanState {
  const values = chunks.flat();
  let next = 0;
  const fill = (list: { name: string; shape: number[] }[]): TensorData[] => list.map(({ name, shape }) => ({ name, shape, values: values[next++] }));
  const networks = Object.fromEntries(Object.entries(layout.networks).map(([name, list]) => [name, fill(list)]));
  const state: GanState = { stepCount: layout.stepCount, networks, optimizers: { g: fill(layout.optimizers.g), d: fill(layout.optimizers.d) } };
  if (next !== values.length || values.some((v) => !(v instanceof Float32Array))) throw new Error('The stored weights do not match their layout');
  return state;
}

export function isChunked(state: GanState | ChunkedState): state is ChunkedState {
  return typeof (state as ChunkedState).chunks === 'number';
}
