import { makeRng, type Rng } from './random';
import type { RgbaImage } from './pixels';

/*
 * Procedural test scenes and a known pixel mapping, for measuring whether a translator learns:
 * the style set is `mapping` applied to *other* scenes, so the ideal generator is known exactly
 * and PSNR(G(x), mapping(x)) on held-out scenes says how close training got.
 */

function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [f(5) * 255, f(3) * 255, f(1) * 255];
}

/** A warm colour (red to yellow), so that swapping red and blue is a visible change of style. */
function warm(rng: Rng): [number, number, number] {
  return hsvToRgb(rng.next() * 55, 0.55 + 0.45 * rng.next(), 0.35 + 0.65 * rng.next());
}

/** A `size`×`size` scene: a warm two-colour gradient with a few warm discs and boxes on it. */
export function warmScene(seed: number, size: number): RgbaImage {
  const rng = makeRng(`scene:${seed}`);
  const data = new Uint8ClampedArray(size * size * 4);
  const top = warm(rng);
  const bottom = warm(rng);
  const vertical = rng.next() < 0.5;
  const shapes = Array.from({ length: 2 + rng.int(4) }, () => ({
    disc: rng.next() < 0.5,
    cx: rng.next() * size,
    cy: rng.next() * size,
    r: size * (0.08 + 0.22 * rng.next()),
    colour: warm(rng),
  }));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = (vertical ? y : x) / (size - 1);
      let rgb = top.map((c, i) => c * (1 - t) + bottom[i] * t);
      for (const s of shapes) {
        const inside = s.disc
          ? (x - s.cx) ** 2 + (y - s.cy) ** 2 < s.r ** 2
          : Math.abs(x - s.cx) < s.r && Math.abs(y - s.cy) < s.r * 0.7;
        if (inside) rgb = s.colour;
      }
      data.set([rgb[0], rgb[1], rgb[2], 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** The known "style": red and blue channels swapped, turning warm scenes cool. */
export function swapRedBlue(image: RgbaImage): RgbaImage {
  const data = new Uint8ClampedArray(image.data);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = image.data[i + 2];
    data[i + 2] = image.data[i];
  }
  return { ...image, data };
}

/** Disjoint content, style and held-out sets for the known-mapping task. */
export function knownMappingTask(counts: { train: number; test: number }, size: number) {
  const scenes = (from: number, n: number) => Array.from({ length: n }, (_, i) => warmScene(from + i, size));
  const content = scenes(0, counts.train);
  const style = scenes(100_000, counts.train).map(swapRedBlue);
  const heldOut = scenes(200_000, counts.test);
  return { content, style, heldOut, target: heldOut.map(swapRedBlue) };
}
