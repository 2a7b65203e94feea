import type { GpuDevice } from './device';
import type { View } from './plan';

const MAP_READ = 0x1 | 0x8; // MAP_READ | COPY_DST

/** Copies views back to the CPU in one submission. */
export async function readViews(gpu: GpuDevice, views: View[]): Promise<Float32Array[]> {
  const total = views.reduce((s, v) => s + v.length, 0);
  const staging = gpu.device.createBuffer({ size: Math.max(16, total * 4), usage: MAP_READ });
  const encoder = gpu.device.createCommandEncoder();
  let at = 0;
  for (const v of views) {
    encoder.copyBufferToBuffer(v.buffer, v.offset * 4, staging, at * 4, v.length * 4);
    at += v.length;
  }
  gpu.device.queue.submit([encoder.finish()]);
  await staging.mapAsync(1);
  const all = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  at = 0;
  return views.map((v) => {
    const part = all.subarray(at, at + v.length);
    at += v.length;
    return part;
  });
}

export async function readView(gpu: GpuDevice, view: View): Promise<Float32Array> {
  return (await readViews(gpu, [view]))[0];
}

export function writeView(gpu: GpuDevice, view: View, values: ArrayLike<number>): void {
  if (values.length !== view.length) throw new Error(`Expected ${view.length} values, got ${values.length}`);
  gpu.device.queue.writeBuffer(view.buffer, view.offset * 4, Float32Array.from(values));
}
