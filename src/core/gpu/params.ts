import type { GpuDevice } from './device';
import type { View } from './plan';

/** A weight as tfjs names and shapes it. */
export interface WeightSpec {
  name: string;
  shape: number[];
}

/** Weights start on 256-byte boundaries, the storage-binding offset alignment WebGPU guarantees. */
const ALIGN = 64;

/**
 * One optimiser group's weights in a flat buffer (tfjs's order and HWIO layout, each weight
 * aligned), with same-layout buffers for the gradients and Adam's two moments: one Adam
 * dispatch updates the whole group, and state copies to and from tfjs are plain slices.
 */
export class ParamGroup {
  readonly values: GPUBuffer;
  readonly grads: GPUBuffer;
  readonly m: GPUBuffer;
  readonly v: GPUBuffer;
  readonly length: number;
  private readonly offsets = new Map<string, number>();

  constructor(
    private readonly gpu: GpuDevice,
    readonly specs: WeightSpec[],
  ) {
    let at = 0;
    for (const s of specs) {
      this.offsets.set(s.name, at);
      at += Math.ceil(size(s) / ALIGN) * ALIGN;
    }
    this.length = Math.max(at, ALIGN);
    [this.values, this.grads, this.m, this.v] = [0, 1, 2, 3].map(() => gpu.buffer(this.length * 4));
  }

  private at(name: string): { offset: number; spec: WeightSpec } {
    const offset = this.offsets.get(name);
    if (offset === undefined) throw new Error(`The engine expected a weight named ${name}, which the model does not have`);
    return { offset, spec: this.specs.find((s) => s.name === name)! };
  }

  has(name: string): boolean {
    return this.offsets.has(name);
  }

  value(name: string): View {
    const { offset, spec } = this.at(name);
    return { buffer: this.values, offset, length: size(spec) };
  }

  grad(name: string): View {
    const { offset, spec } = this.at(name);
    return { buffer: this.grads, offset, length: size(spec) };
  }

  /** The whole flat range of one of the four buffers. */
  all(which: 'values' | 'grads' | 'm' | 'v'): View {
    return { buffer: this[which], offset: 0, length: this.length };
  }

  /** Every weight's (or moment's) values in spec order, from one flat read of that buffer. */
  split(flat: Float32Array): Float32Array[] {
    return this.specs.map((s) => flat.slice(this.offsets.get(s.name)!, this.offsets.get(s.name)! + size(s)));
  }

  /** Writes per-weight arrays (spec order) into one of the buffers. */
  write(which: 'values' | 'm' | 'v', arrays: ArrayLike<number>[]): void {
    const flat = new Float32Array(this.length);
    this.specs.forEach((s, i) => {
      if (arrays[i].length !== size(s)) throw new Error(`Expected ${size(s)} values for ${s.name}, got ${arrays[i].length}`);
      flat.set(arrays[i], this.offsets.get(s.name)!);
    });
    this.gpu.device.queue.writeBuffer(this[which], 0, flat);
  }

  dispose(): void {
    for (const b of [this.values, this.grads, this.m, this.v]) this.gpu.destroy(b);
  }
}

function size(s: WeightSpec): number {
  return s.shape.reduce((a, b) => a * b, 1);
}
