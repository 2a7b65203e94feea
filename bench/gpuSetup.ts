// Dawn for Node as navigator.gpu, before tfjs-backend-webgpu loads (it looks for it on import).
// Uses the Vulkan driver VK_ICD_FILENAMES names, else Chromium's SwiftShader where it is installed.
import { existsSync } from 'node:fs';
import { create, globals } from 'webgpu';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;
Object.assign(globalThis, globals);
// Dawn lives as long as this object does: keep it on the global navigator.
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]), userAgent: 'node' }, configurable: true });
