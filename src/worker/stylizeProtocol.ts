import type { LayersModelArtifacts } from '../core/checkpoint/layersModelFiles';
import type { Direction } from '../core/cycleGan';
import type { RgbaImage } from '../core/data/pixels';
import type { BackendName } from './backendReport';

/** Messages to the stylize worker, which runs generators (trained here or imported) on new images. */
export type ToStylizer =
  /** Loads a generator for one direction; it replaces the one loaded before only once it is valid. */
  | { type: 'load'; requestId: number; direction: Direction; artifacts: LayersModelArtifacts; backend: BackendName }
  /** Translates a whole image at its own size, tile by tile. */
  | { type: 'stylize'; requestId: number; direction: Direction; image: RgbaImage }
  /** Raw generator output for float input in [-1, 1] (NHWC), for exact comparisons. */
  | { type: 'predict'; requestId: number; direction: Direction; input: Float32Array; shape: [number, number, number, number] };

export type FromStylizer =
  | { type: 'loaded'; requestId: number; direction: Direction; backend: BackendName; parameters: number }
  | { type: 'stylized'; requestId: number; image: RgbaImage; ms: number }
  | { type: 'predicted'; requestId: number; output: Float32Array }
  | { type: 'error'; requestId: number; message: string };
