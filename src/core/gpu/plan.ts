import type { GpuDevice } from './device';

/** A range of floats in a GPU buffer: a whole activation, or one weight inside a flat parameter buffer. */
export interface View {
  buffer: GPUBuffer;
  /** First float. */
  offset: number;
  /** Floats. */
  length: number;
}

/** An NHWC activation (or any shaped range) the plan owns. */
export interface GTensor extends View {
  shape: number[];
}

type Command =
  | { kind: 'dispatch'; pipeline: GPUComputePipeline; views: View[]; bindGroup: GPUBindGroup | null; groups: [number, number, number]; code: string }
  | { kind: 'encode'; encode: (encoder: GPUCommandEncoder) => void };

/** Declares binding `index` of a kernel as an f32 array; `write` makes it read_write. */
export function decl(index: number, name: string, write = false): string {
  return `@group(0) @binding(${index}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<f32>;`;
}

const MAX_GROUPS = 65535;
/** Workgroup size of every one-thread-per-element kernel. */
export const LANES = 256;

/**
 * Workgroups for `count` threads of {@link LANES}, and the WGSL that turns the invocation id into
 * the element index (`i`) with the early return past the end, spread over y past 65535 groups.
 */
export function grid(count: number): { groups: [number, number, number]; index: string } {
  const x = Math.min(Math.max(1, Math.ceil(count / LANES)), MAX_GROUPS);
  const y = Math.ceil(count / (x * LANES));
  return { groups: [x, y, 1], index: `let i = gid.y * ${x * LANES}u + gid.x; if (i >= ${count}u) { return; }` };
}

/**
 * A training step compiled once: every buffer, pipeline and bind group is made while the plan is
 * built; `encode` then only replays dispatches (and the few copies whose source changes per step,
 * such as the image pool's) into a command encoder.
 */
export class Plan {
  private readonly commands: Command[] = [];
  private readonly owned: GPUBuffer[] = [];
  private readonly scratchSizes = new Map<string, number>();
  private readonly scratchBuffers = new Map<string, GPUBuffer>();

  constructor(readonly gpu: GpuDevice) {}

  /** A new zero-filled activation buffer, owned (and destroyed) by the plan. */
  tensor(shape: number[]): GTensor {
    const length = shape.reduce((a, b) => a * b, 1);
    const buffer = this.gpu.buffer(length * 4);
    this.owned.push(buffer);
    return { buffer, offset: 0, length, shape };
  }

  /**
   * Working memory that lives only within one op (patch gradients, partial sums): every request
   * with the same key shares one buffer, as large as the largest request, made when the plan
   * is finished. Dispatches run in order, so one op's use is over before the next op's begins.
   */
  scratch(key: string, shape: number[]): GTensor {
    const length = shape.reduce((a, b) => a * b, 1);
    this.scratchSizes.set(key, Math.max(this.scratchSizes.get(key) ?? 0, length));
    const buffers = this.scratchBuffers;
    return {
      get buffer(): GPUBuffer {
        const b = buffers.get(key);
        if (!b) throw new Error(`Scratch ${key} is used before the plan is finished`);
        return b;
      },
      offset: 0,
      length,
      shape,
    };
  }

  /** Records one dispatch of `code` with its bindings in declaration order (bound when the plan is finished). */
  dispatch(code: string, bindings: View[], groups: [number, number, number]): void {
    this.commands.push({ kind: 'dispatch', pipeline: this.gpu.pipeline(code), views: bindings, bindGroup: null, groups, code });
  }

  /** Makes the scratch buffers and every bind group; the first encode does it. */
  private finish(): void {
    for (const [key, length] of this.scratchSizes) {
      if (this.scratchBuffers.has(key)) continue;
      const buffer = this.gpu.buffer(length * 4);
      this.owned.push(buffer);
      this.scratchBuffers.set(key, buffer);
    }
    for (const c of this.commands) {
      if (c.kind !== 'dispatch' || c.bindGroup) continue;
      c.bindGroup = this.gpu.device.createBindGroup({
        layout: c.pipeline.getBindGroupLayout(0),
        entries: c.views.map((v, binding) => ({ binding, resource: { buffer: v.buffer, offset: v.offset * 4, size: Math.max(v.length, 1) * 4 } })),
      });
    }
  }

  /** Records work done outside compute passes (copies, clears), decided when the step is encoded. */
  encodeWith(encode: (encoder: GPUCommandEncoder) => void): void {
    this.commands.push({ kind: 'encode', encode });
  }

  /** Each dispatch's shader source and workgroups, in order (for profiling). */
  get dispatchList(): { code: string; groups: [number, number, number] }[] {
    return this.commands.flatMap((c) => (c.kind === 'dispatch' ? [{ code: c.code, groups: c.groups }] : []));
  }

  /** Encodes only dispatch `index` (and the work before it outside passes): for timing kernels one by one. */
  encodeOne(encoder: GPUCommandEncoder, index: number): void {
    this.finish();
    const c = this.commands.filter((x) => x.kind === 'dispatch')[index];
    if (c?.kind !== 'dispatch' || !c.bindGroup) return;
    const pass = encoder.beginComputePass();
    pass.setPipeline(c.pipeline);
    pass.setBindGroup(0, c.bindGroup);
    pass.dispatchWorkgroups(...c.groups);
    pass.end();
  }

  get dispatches(): number {
    return this.commands.filter((c) => c.kind === 'dispatch').length;
  }

  encode(encoder: GPUCommandEncoder): void {
    this.finish();
    let pass: GPUComputePassEncoder | null = null;
    for (const c of this.commands) {
      if (c.kind === 'dispatch') {
        pass ??= encoder.beginComputePass();
        pass.setPipeline(c.pipeline);
        pass.setBindGroup(0, c.bindGroup!);
        pass.dispatchWorkgroups(...c.groups);
      } else {
        pass?.end();
        pass = null;
        c.encode(encoder);
      }
    }
    pass?.end();
  }

  dispose(): void {
    for (const b of this.owned) this.gpu.destroy(b);
    this.owned.length = 0;
    this.commands.length = 0;
    this.scratchBuffers.clear();
    this.scratchSizes.clear();
  }
}

/** Binding declarations and views in one list; entries with a null view are left out. */
export function bindings(list: [name: string, view: View | null, write?: boolean][]): { header: string; views: View[] } {
  const used = list.filter((e): e is [string, View, boolean | undefined] => e[1] !== null);
  return { header: used.map(([name, , write], i) => decl(i, name, write)).join('\n'), views: used.map(([, view]) => view) };
}

/** A number as a WGSL f32 literal (an integer would be read as i32). */
export function float(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : `${x}`;
}
