import type { RgbaImage } from '../../core/data/pixels';
import type { FilterName } from '../../core/demos/filters';

export interface DecodeRequest {
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

export type DecodeApi = {
  /** Every file (and every entry of every archive) in order, each decoded or with its reason. */
  decode(request: DecodeRequest): DecodeResult[];
};
