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
  /** Per photo, its colour statistics as the colour loss reads them (colourStats of its 64 px centre crop). */
  colour: Record<string, number[]>;
}

/** Crops of one original share its name before the last dash (`bridge-w.jpg`, `bridge-e.jpg`). */
export function sourceOf(file: string): string {
  return file.replace(/-[a-z]+\.[a-z]+$/i, '');
}

/**
 * Splits the photos *by source* into content, style and held-out groups, differently for each
 * demo but deterministically, so no scene ever appears on two sides. From a seeded shuffle it
 * swaps scenes between the groups while that brings their colour statistics closer: with 41
 * scenes a plain random split can make the style photos brighter than the content photos by
 * more than a filter changes them, and an unpaired learner rightly learns that difference too,
 * which the demo's score would then count against it.
 */
export function buildDemos(manifest: SampleManifest): DemoTask[] {
  const files = manifest.photos;
  const sources = [...new Set(files.map(sourceOf))].sort();
  if (sources.length < 5) throw new Error(`Expected photos from at least 5 sources, got ${sources.length}`);
  const statCount = manifest.colour[files[0]]?.length ?? 0;
  const missing = files.filter((f) => !(statCount > 0 && manifest.colour[f]?.length === statCount));
  if (missing.length > 0) throw new Error(`The sample manifest lacks colour statistics for ${missing.join(', ')}`);
  const heldOutCount = Math.max(1, Math.round(sources.length * 0.15));
  const half = Math.floor((sources.length - heldOutCount) / 2);
  const filesOf = (group: readonly string[]) => {
    const chosen = new Set(group);
    return files.filter((f) => chosen.has(sourceOf(f)));
  };
  // Per scene: its photos' summed statistics and how many there are; a group keeps the totals of
  // its scenes, so trying a swap costs a few additions.
  const zeros = () => new Array<number>(statCount).fill(0);
  const scenes = new Map(sources.map((source) => [source, { sum: zeros(), count: 0 }]));
  for (const f of files) {
    const scene = scenes.get(sourceOf(f))!;
    manifest.colour[f].forEach((v, i) => (scene.sum[i] += v));
    scene.count += 1;
  }
  type Totals = { sum: number[]; count: number };
  const totals = (group: readonly string[]): Totals => ({
    sum: zeros().map((_, i) => group.reduce((t, source) => t + scenes.get(source)!.sum[i], 0)),
    count: group.reduce((t, source) => t + scenes.get(source)!.count, 0),
  });
  const swapped = (t: Totals, out: string, into: string): Totals => {
    const [o, n] = [scenes.get(out)!, scenes.get(into)!];
    return { sum: t.sum.map((v, i) => v - o.sum[i] + n.sum[i]), count: t.count - o.count + n.count };
  };
  const distance = (x: Totals, y: Totals) => x.sum.reduce((d, v, i) => d + (v / x.count - y.sum[i] / y.count) ** 2, 0);
  // Content against style matters most; the held-out photos should be of the same kind too.
  const imbalance = ([a, b, held]: Totals[]) => distance(a, b) + 0.5 * distance(a, held);
  return (Object.keys(FILTERS) as FilterName[]).map((id) => {
    const rng = makeRng(`demo:${id}`);
    const order = [...sources];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const groups = [order.slice(0, half), order.slice(half, 2 * half), order.slice(2 * half)];
    const sums = groups.map(totals);
    let current = imbalance(sums);
    // Steepest descent over single swaps of scenes between two groups, until no swap helps.
    for (;;) {
      let best: [number, number, number, number] | null = null;
      for (let g = 0; g < 3; g++) {
        for (let h = g + 1; h < 3; h++) {
          for (let i = 0; i < groups[g].length; i++) {
            for (let j = 0; j < groups[h].length; j++) {
              const trial = [...sums];
              trial[g] = swapped(sums[g], groups[g][i], groups[h][j]);
              trial[h] = swapped(sums[h], groups[h][j], groups[g][i]);
              const value = imbalance(trial);
              if (value < current - 1e-12) [best, current] = [[g, i, h, j], value];
            }
          }
        }
      }
      if (!best) break;
      const [g, i, h, j] = best;
      [sums[g], sums[h]] = [swapped(sums[g], groups[g][i], groups[h][j]), swapped(sums[h], groups[h][j], groups[g][i])];
      [groups[g][i], groups[h][j]] = [groups[h][j], groups[g][i]];
    }
    const [content, style, heldOut] = groups.map(filesOf);
    return {
      id,
      title: FILTERS[id].label,
      content,
      style,
      heldOut,
    };
  });
}
