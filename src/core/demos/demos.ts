import { FILTERS, type FilterName } from './filters';
import { makeRng } from '../data/random';

/** A ready-made task: photos on one side, the same kind of photos through a known filter on the other. */
export interface DemoTask {
  id: FilterName;
  title: string;
  /** Domain A: photos to translate. */
  content: string[];
  /** Domain B: *other* photos, to be passed through the filter. */
  style: string[];
  /** Photos used by neither set: G(x) is scored against filter(x) on these. */
  heldOut: string[];
}

/** The bundled photos' list (public/samples/manifest.json, written by scripts/sample-stats.ts). */
export interface SampleManifest {
  photos: string[];
  /** Per photo, its colour statistics as the trainer sees it: mean and spread of R, G, B in [-1, 1]. */
  colour: Record<string, number[]>;
}

/** Crops of one original share its name before the last dash (`bridge-w.jpg`, `bridge-e.jpg`). */
export function sourceOf(file: string): string {
  return file.replace(/-[a-z]+\.[a-z]+$/i, '');
}

/** Seeded splits tried per demo; the best balanced one is kept. */
const SPLITS_TRIED = 2000;

/**
 * Splits the photos *by source* into content, style and held-out groups, differently for each
 * demo but deterministically, so no scene ever appears on two sides. Of many seeded splits it
 * keeps the one whose groups have the closest colour statistics: with 41 scenes a plain random
 * split can make the style photos brighter than the content photos by more than a filter
 * changes them, and an unpaired learner rightly learns that difference too, which the demo's
 * score would then count against it.
 */
export function buildDemos(manifest: SampleManifest): DemoTask[] {
  const files = manifest.photos;
  const sources = [...new Set(files.map(sourceOf))].sort();
  if (sources.length < 5) throw new Error(`Expected photos from at least 5 sources, got ${sources.length}`);
  const missing = files.filter((f) => manifest.colour[f]?.length !== 6);
  if (missing.length > 0) throw new Error(`The sample manifest lacks colour statistics for ${missing.join(', ')}`);
  const heldOutCount = Math.max(1, Math.round(sources.length * 0.15));
  const half = Math.floor((sources.length - heldOutCount) / 2);
  const filesOf = (group: readonly string[]) => {
    const chosen = new Set(group);
    return files.filter((f) => chosen.has(sourceOf(f)));
  };
  const meanColour = (group: readonly string[]) => {
    const members = filesOf(group);
    return [0, 1, 2, 3, 4, 5].map((i) => members.reduce((sum, f) => sum + manifest.colour[f][i], 0) / members.length);
  };
  const distance = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + (v - y[i]) ** 2, 0);
  return (Object.keys(FILTERS) as FilterName[]).map((id) => {
    const rng = makeRng(`demo:${id}`);
    let best: string[] = sources;
    let bestImbalance = Infinity;
    for (let trial = 0; trial < SPLITS_TRIED; trial++) {
      const order = [...sources];
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const [a, b, held] = [meanColour(order.slice(0, half)), meanColour(order.slice(half, 2 * half)), meanColour(order.slice(2 * half))];
      // Content against style matters most; the held-out photos should be of the same kind too.
      const imbalance = distance(a, b) + 0.5 * distance(a, held);
      if (imbalance < bestImbalance) [best, bestImbalance] = [order, imbalance];
    }
    return {
      id,
      title: FILTERS[id].label,
      content: filesOf(best.slice(0, half)),
      style: filesOf(best.slice(half, 2 * half)),
      heldOut: filesOf(best.slice(2 * half)),
    };
  });
}
