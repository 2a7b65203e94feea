import type { RgbaImage } from '../../core/data/pixels';
import type { LayersModelArtifacts } from '../../core/persist/layersModelFiles';
import type { BackendName } from '../backends/backendReport';

/** Where a generator is kept: the two trained directions, and one imported from files. */
export type GeneratorSlot = 'AtoB' | 'BtoA' | 'imported';

/** The stylize worker runs generators (trained here or imported) on new images. */
export type StylizeApi = {
  /** Loads a generator into a slot; it replaces the one loaded before only once it is valid. */
  load(request: { slot: GeneratorSlot; artifacts: LayersModelArtifacts; backend: BackendName }): { slot: GeneratorSlot; backend: BackendName; parameters: number };
  /** Translates a whole image at its own size, tile by tile. */
  stylize(request: { slot: GeneratorSlot; image: RgbaImage }): { image: RgbaImage; ms: number };
  /** Raw generator output for float input in [-1, 1] (NHWC), for exact comparisons. */
  predict(request: { slot: GeneratorSlot; input: Float32Array; shape: [number, number, number, number] }): { output: Float32Array };
};
