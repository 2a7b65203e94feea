import type { RgbaImage } from '../core/data/pixels';
import type { FilterName } from '../core/filters/filters';

export interface DecodeRequest {
  requestId: number;
  files: { name: string; blob: Blob }[];
  /** Longest side kept; larger images are scaled down (aspect kept). */
  maxSide: number;
  /** Also return each image passed through this filter. */
  filter?: FilterName;
}

export type DecodeResult =
  | { name: string; ok: true; image: RgbaImage; filtered?: RgbaImage }
  | { name: string; ok: false; reason: string };

export interface DecodeResponse {
  requestId: number;
  results: DecodeResult[];
}
