// WebGPU for Vitest on Node: Dawn (npm `webgpu`) on Chromium's SwiftShader Vulkan driver, which
// these GPU-less machines have once Debian's chromium (and libvulkan1) is installed.
import { existsSync } from 'node:fs';
import { create, globals } from 'webgpu';
import { openGpuDevice, type GpuDevice } from '../gpu/device';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Dawn lives as long as the object `create` returns: dropping it frees the device under running work. */
let instance: GPU | null = null;
let opened: Promise<GpuDevice> | null = null;

/** A shared device (SwiftShader unless VK_ICD_FILENAMES names another driver); fails with what to install when Dawn finds no adapter. */
export function dawnDevice(): Promise<GpuDevice> {
  if (!opened) {
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;
    Object.assign(globalThis, globals);
    instance = create([]) as GPU;
    opened = openGpuDevice(instance).catch((error: unknown) => {
      throw new Error(`WebGPU in Node needs a Vulkan driver: install Debian's chromium and libvulkan1 (apt-get install -y chromium libvulkan1). ${String(error)}`);
    });
  }
  return opened;
}
