/** Transparent parts are put on this grey, which sits in the middle of both image sets' colours. */
export const BACKDROP = 128;

/** Blends every RGBA pixel onto the grey backdrop, in place; says whether any was transparent. */
export function flattenAlpha(data: Uint8ClampedArray | Uint8Array): boolean {
  let any = false;
  for (let i = 3; i < data.length; i += 4) {
    const a = data[i];
    if (a === 255) continue;
    any = true;
    for (let c = i - 3; c < i; c++) data[c] = Math.round((data[c] * a + BACKDROP * (255 - a)) / 255);
    data[i] = 255;
  }
  return any;
}
