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

/** Crops of one original share its name before the last dash (`bridge-w.jpg`, `bridge-e.jpg`). */
export function sourceOf(file: string): string {
  return file.replace(/-[a-z]+\.[a-z]+$/i, '');
}

/**
 * Splits the photos *by source* into content, style and held-out groups, differently for each
 * demo but deterministically, so no scene ever appears on two sides.
 */
export function buildDemos(files: readonly string[]): DemoTask[] {
  const sources = [...new Set(files.map(sourceOf))].sort();
  if (sources.length < 5) throw new Error(`Expected photos from at least 5 sources, got ${sources.length}`);
  return (Object.keys(FILTERS) as FilterName[]).map((id) => {
    const rng = makeRng(`demo:${id}`);
    const order = [...sources];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const heldOutCount = Math.max(1, Math.round(order.length * 0.15));
    const half = Math.floor((order.length - heldOutCount) / 2);
    const group = (from: number, to: number) => {
      const chosen = new Set(order.slice(from, to));
      return files.filter((f) => chosen.has(sourceOf(f)));
    };
    return {
      id,
      title: FILTERS[id].label,
      content: group(0, half),
      style: group(half, 2 * half),
      heldOut: group(2 * half, order.length),
    };
  });
}
