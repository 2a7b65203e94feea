// The end-to-end tests drive Debian's Chromium, and the WebGPU engine's unit tests run Dawn on
// Chromium's SwiftShader Vulkan driver, which needs the Vulkan loader (libvulkan1). Installs what
// is missing where this machine can (root with apt-get), or stops at once with the one command to
// run; CHROMIUM_PATH picks another Chromium binary.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const vulkanLoader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1', '/usr/lib64/libvulkan.so.1'];
const packages = [];
if (!existsSync(chromium) && !process.env.CHROMIUM_PATH) packages.push('chromium');
if (!vulkanLoader.some((path) => existsSync(path))) packages.push('libvulkan1');

if (packages.length > 0) {
  const root = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!root || !apt) {
    console.error(
      `The tests need ${packages.join(' and ')}, which ${packages.length > 1 ? 'are' : 'is'} missing: run \`sudo apt-get install -y ${packages.join(' ')}\` (Debian/Ubuntu)${packages.includes('chromium') ? ', or set CHROMIUM_PATH to a Chromium binary' : ''}, then run the tests again.`,
    );
    process.exit(1);
  }
  console.log(`Installing ${packages.join(' and ')} for the tests (apt-get, about a minute)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
if (!existsSync(chromium)) {
  console.error(`The end-to-end tests need Chromium at ${chromium}, which is missing: set CHROMIUM_PATH to its binary.`);
  process.exit(1);
}
