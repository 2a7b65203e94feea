/**
 * A GPU device for the training engine, its pipelines made once per shader source, and the
 * buffers it hands out counted, so tests can check that steps allocate nothing.
 */
export interface GpuDevice {
  device: GPUDevice;
  /** `vendor/architecture` of the adapter, as benches print it. */
  adapter: string;
  pipeline(code: string): GPUComputePipeline;
  buffer(bytes: number, usage?: number): GPUBuffer;
  /** Buffers made and not yet destroyed through {@link destroy}. */
  readonly liveBuffers: number;
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
  return wrapDevice(device, `${adapter.info.vendor || 'unknown'}/${adapter.info.architecture || adapter.info.description || 'unknown'}`);
}

export function wrapDevice(device: GPUDevice, adapter: string): GpuDevice {
  const pipelines = new Map<string, GPUComputePipeline>();
  let live = 0;
  return {
    device,
    adapter,
    pipeline(code) {
      let p = pipelines.get(code);
      if (!p) {
        p = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
        pipelines.set(code, p);
      }
      return p;
    },
    buffer(bytes, usage = STORAGE) {
      live += 1;
      return device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    },
    get liveBuffers() {
      return live;
    },
    destroy(buffer) {
      live -= 1;
      buffer.destroy();
    },
  };
}
