import type { RgbaImage } from '../data/pixels';
import { IMAGE_DETECTORS, type ImageDetection, type Pair } from '../diagnostics/imageDetectors';

/** What every image detector finds in one set of previews, in one call (the page spreads them over tasks). */
export function detectImageProblems(pairs: Pair[], style: RgbaImage[]): ImageDetection[] {
  if (pairs.length === 0) return [];
  return IMAGE_DETECTORS.map((detect) => detect(pairs, style)).filter((d): d is ImageDetection => d !== null);
}
