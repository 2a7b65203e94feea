import type { RgbaImage } from '../data/pixels';
import { imageDifference, thumbnail } from './imageDetectors';

/** Below this many images a set is learned by heart rather than as a style. */
export const FEW_IMAGES = 10;

export interface HealthWarning {
  id: 'few-images' | 'uniform' | 'aspect-mismatch' | 'extreme-aspect';
  text: string;
}

const aspect = (i: RgbaImage) => i.width / i.height;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * What a tutor would say about the two sets before training: too few images, images that all
 * look alike, and shapes that the centre-square crop will cut badly. Works on at most 64 images
 * per set, so it is cheap enough to run whenever the sets change.
 */
export function datasetHealth(sets: { name: string; images: RgbaImage[] }[]): HealthWarning[] {
  const warnings: HealthWarning[] = [];
  for (const { name, images } of sets) {
    if (images.length === 0) continue;
    if (images.length < FEW_IMAGES) {
      warnings.push({ id: 'few-images', text: `The ${name} set has only ${images.length} image${images.length === 1 ? '' : 's'}: the networks will learn them by heart. ${FEW_IMAGES * 2} or more work better; the CycleGAN paper used about a thousand.` });
    }
    const sample = images.slice(0, 64).map((i) => thumbnail(i, 8));
    if (sample.length >= 3) {
      const diffs: number[] = [];
      for (let i = 0; i < sample.length; i++) for (let j = i + 1; j < sample.length; j++) diffs.push(imageDifference(sample[i], sample[j]));
      const spread = mean(diffs);
      if (spread < 0.04) warnings.push({ id: 'uniform', text: `The ${name} images look almost alike (they differ by ${(spread * 100).toFixed(1)}% on average): there is little for the networks to learn beyond one picture. Add more varied images.` });
    }
    const extreme = images.filter((i) => Math.max(aspect(i), 1 / aspect(i)) > 2);
    if (extreme.length > 0) {
      warnings.push({ id: 'extreme-aspect', text: `${extreme.length} ${name} image${extreme.length === 1 ? ' is' : 's are'} more than twice as wide as tall or the other way round (training uses the centre square, so most of ${extreme.length === 1 ? 'it' : 'them'} is never seen).` });
    }
  }
  const shapes = sets.filter((s) => s.images.length > 0).map((s) => ({ name: s.name, ratio: Math.exp(mean(s.images.map((i) => Math.log(aspect(i))))) }));
  if (shapes.length === 2) {
    const [a, b] = shapes;
    if (Math.max(a.ratio / b.ratio, b.ratio / a.ratio) > 1.4) {
      const shape = (r: number) => (r > 1.1 ? 'landscape' : r < 0.9 ? 'portrait' : 'square');
      warnings.push({ id: 'aspect-mismatch', text: `The ${a.name} images are mostly ${shape(a.ratio)} (${a.ratio.toFixed(2)}:1) and the ${b.name} images ${shape(b.ratio)} (${b.ratio.toFixed(2)}:1): both are cut to their centre square, so the two sets show differently framed parts of their pictures.` });
    }
  }
  return warnings;
}
