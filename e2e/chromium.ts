/** Debian's Chromium (Playwright cannot download its own here); CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every run needs on these machines: no sandbox as root, no background traffic. */
export const baseArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** WebGPU and WebGL on SwiftShader in headless mode, on machines without a GPU. */
export const gpuArgs = ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu-sandbox'];
