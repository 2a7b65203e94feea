/**
 * A GPU device for the training engine, its pipelines made once per shader source, and the
 * buffers it hands out counted, so tests can check that steps allocate nothing.
 */
export interface GpuDevice {
  device: GPUDevice;
  /** `vendor/architecture` of the adapter, as benches print it. */
  adapter: string;
  /** A software adapter (SwiftShader): kernels avoid workgroup barriers, which are slow there. */
  software: boolean;
  pipeline(code: string): GPUComputePipeline;
  buffer(bytes: number, usage?: number): GPUBuffer;
  /** Buffers made and not yet destroyed through {@link destroy}, and their bytes. */
  readonly liveBuffers: number;
  readonly liveBytes: number;
  destroy(buffer: GPUBuffer): void;
}

const STORAGE = 0x80 | 0x8 | 0x4; // STORAGE | COPY_DST | COPY_SRC (GPUBufferUsage, absent in some hosts' globals)

/** Asks `gpu` for an adapter and a device with the adapter's largest buffer limits; throws with why when there is none. */
export async function openGpuDevice(gpu: GPU): Promise<GpuDevice> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU found no adapter');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
    },
  });
  const name = `${adapter.info.vendor || 'unknown'}/${adapter.info.architecture || adapter.info.description || 'unknown'}`;
  const software = (adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true || /swiftshader|llvmpipe|software/i.test(name);
  return wrapDevice(device, name, software);
}

export function wrapDevice(device: GPUDevice, adapter: string, software = false): GpuDevice {
  const pipelines = new Map<string, GPUComputePipeline>();
  let live = 0;
  let bytes = 0;
  const sizes = new WeakMap<GPUBuffer, number>();
  return {
    device,
    adapter,
    software,
    pipeline(code) {
      let p = pipelines.get(code);
      if (!p) {
        p = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
        pipelines.set(code, p);
      }
      return p;
    },
    buffer(n, usage = STORAGE) {
      const size = Math.max(16, Math.ceil(n / 16) * 16);
      const buffer = device.createBuffer({ size, usage });
      live += 1;
      bytes += size;
      sizes.set(buffer, size);
      return buffer;
    },
    get liveBuffers() {
      return live;
    },
    get liveBytes() {
      return bytes;
    },
    destroy(buffer) {
      live -= 1;
      bytes -= sizes.get(buffer) ?? 0;
      buffer.destroy();
    },
  };
}
