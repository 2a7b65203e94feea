// The end-to-end tests drive Debian's Chromium, and the WebGPU engine's unit tests run Dawn on
// Chromium's SwiftShader Vulkan driver, which needs the Vulkan loader (libvulkan1). Installs what
// is missing where this machine can (root with apt-get), or stops at once with the one command to
// run; CHROMIUM_PATH picks another Chromium binary.
import { existsSync } from 'node:fs';
import { aptInstall } from './aptInstall.js';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const vulkanLoader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1', '/usr/lib64/libvulkan.so.1'];
const packages = [];
if (!existsSync(chromium) && !process.env.CHROMIUM_PATH) packages.push('chromium');
if (!vulkanLoader.some((path) => existsSync(path))) packages.push('libvulkan1');

aptInstall({
  need: 'The tests need',
  packages,
  advice: packages.includes('chromium') ? ', or set CHROMIUM_PATH to a Chromium binary' : '',
});
if (!existsSync(chromium)) {
  console.error(`The end-to-end tests need Chromium at ${chromium}, which is missing: set CHROMIUM_PATH to its binary.`);
  process.exit(1);
}
