import type { RgbaImage } from '../../core/data/pixels';
import type { FilterName } from '../../core/demos/filters';

export interface DecodeRequest {
  requestId: number;
  /** Image files and .zip archives (expanded here, off the main thread). */
  files: { name: string; blob: Blob }[];
  /** Longest side kept; larger images are scaled down (aspect kept). */
  maxSide: number;
  /** Also return each image passed through this filter. */
  filter?: FilterName;
  /** Images to decode at most (`remaining`), the rest reported as over the per-set `cap`. */
  limit?: { remaining: number; cap: number };
}

export type DecodeResult =
  | { name: string; ok: true; image: RgbaImage; filtered?: RgbaImage; notes: string[] }
  | { name: string; ok: false; reason: string };

export interface DecodeResponse {
  requestId: number;
  results: DecodeResult[];
}
