import type { LayersModelArtifacts } from '../../core/persist/layersModelFiles';
import type { RgbaImage } from '../../core/data/pixels';
import type { BackendName } from '../backends/backendReport';

/** Where a generator is kept: the two trained directions, and one imported from files. */
export type GeneratorSlot = 'AtoB' | 'BtoA' | 'imported';

/** Messages to the stylize worker, which runs generators (trained here or imported) on new images. */
export type ToStylizer =
  /** Loads a generator into a slot; it replaces the one loaded before only once it is valid. */
  | { type: 'load'; requestId: number; slot: GeneratorSlot; artifacts: LayersModelArtifacts; backend: BackendName }
  /** Translates a whole image at its own size, tile by tile. */
  | { type: 'stylize'; requestId: number; slot: GeneratorSlot; image: RgbaImage }
  /** Raw generator output for float input in [-1, 1] (NHWC), for exact comparisons. */
  | { type: 'predict'; requestId: number; slot: GeneratorSlot; input: Float32Array; shape: [number, number, number, number] };

export type FromStylizer =
  | { type: 'loaded'; requestId: number; slot: GeneratorSlot; backend: BackendName; parameters: number }
  | { type: 'stylized'; requestId: number; image: RgbaImage; ms: number }
  | { type: 'predicted'; requestId: number; output: Float32Array }
  | { type: 'error'; requestId: number; message: string };
