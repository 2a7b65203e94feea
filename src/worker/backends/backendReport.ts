/** Backends in the order `auto` prefers them when they are really hardware-accelerated. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What trying one backend found: usable or not, and in plain words why. */
export interface BackendReport {
  name: BackendName;
  ok: boolean;
  /** Why it failed, or what it runs on when it works (adapter, renderer, SIMD). */
  detail: string;
  /** Runs on a software rasteriser (SwiftShader): works, but far slower than wasm. */
  software: boolean;
  /** Milliseconds to initialise and run the check op. */
  ms: number;
}
