import type { RgbaImage } from '../../core/data/pixels';

export interface ImageItem {
  id: number;
  name: string;
  image: RgbaImage;
}

export interface Problem {
  name: string;
  reason: string;
}

export interface ImageSetState {
  items: ImageItem[];
  problems: Problem[];
}

/** Cheap content fingerprint (FNV-1a over a pixel sample and the size) for duplicate detection. */
export function fingerprint(image: RgbaImage): string {
  let h = 0x811c9dc5;
  const stride = Math.max(4, Math.floor(image.data.length / 4096) * 4);
  for (let i = 0; i < image.data.length; i += stride) h = Math.imul(h ^ image.data[i] ^ (image.data[i + 1] << 8) ^ (image.data[i + 2] << 16), 16777619);
  return `${image.width}x${image.height}:${(h >>> 0).toString(16)}`;
}

/**
 * Adds decoded images to one set: duplicates within the set are skipped, images beyond `cap`
 * are skipped, images also in the other set are kept with a note. Nothing already in the set
 * changes; every skipped or noted file gets its reason.
 */
export function mergeImages(current: ImageSetState, other: ImageSetState, otherName: string, decoded: ImageItem[], problems: Problem[], cap: number): ImageSetState {
  const seen = new Map(current.items.map((item) => [fingerprint(item.image), item.name]));
  const elsewhere = new Map(other.items.map((item) => [fingerprint(item.image), item.name]));
  const notes: Problem[] = [...problems];
  const added: ImageItem[] = [];
  for (const item of decoded) {
    const print = fingerprint(item.image);
    if (seen.has(print)) notes.push({ name: item.name, reason: `is a duplicate of ${seen.get(print)} (skipped)` });
    else if (current.items.length + added.length >= cap) notes.push({ name: item.name, reason: `is beyond the limit of ${cap} images per set (skipped)` });
    else {
      if (elsewhere.has(print)) notes.push({ name: item.name, reason: `is also in the ${otherName} set as ${elsewhere.get(print)} (kept)` });
      seen.set(print, item.name);
      added.push(item);
    }
  }
  return { items: [...current.items, ...added], problems: [...current.problems, ...notes] };
}
