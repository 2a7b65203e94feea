import { zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/**
 * Files students drop on the page, good and bad, made here so the tests need no binary fixtures.
 * `expect` says what must happen to each: used (maybe with a note), or refused with a reason.
 */
export interface InputCase {
  name: string;
  bytes: Uint8Array;
  expect: { used: true; note?: RegExp; size?: [number, number] } | { used: false; reason: RegExp };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const concat = (...parts: ArrayLike<number>[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const text = (s: string) => new TextEncoder().encode(s);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = concat(text(type), data);
  return concat(be32(data.length), body, be32(crc32(body)));
}

/** A PNG of the given colour type (0 grey, 2 RGB, 6 RGBA) and bit depth; `sample` gives each channel. */
export function png(width: number, height: number, colorType: 0 | 2 | 6, bitDepth: 8 | 16, sample: (x: number, y: number, c: number) => number): Uint8Array {
  const channels = { 0: 1, 2: 3, 6: 4 }[colorType];
  const bytesPer = bitDepth / 8;
  const raw = new Uint8Array(height * (1 + width * channels * bytesPer));
  let at = 0;
  for (let y = 0; y < height; y++) {
    raw[at++] = 0;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = sample(x, y, c);
        if (bitDepth === 16) {
          raw[at++] = (v >> 8) & 255;
          raw[at++] = v & 255;
        } else raw[at++] = v;
      }
    }
  }
  const ihdr = concat(be32(width), be32(height), [bitDepth, colorType, 0, 0, 0]);
  return concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array()));
}

// The standard luminance Huffman tables (JPEG spec, Annex K); flat images need only two codes.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_VALUES = Array.from({ length: 162 }, (_, i) => i);

/**
 * A baseline JPEG of one flat colour with 1 (grey), 3 (YCbCr) or 4 (Adobe CMYK) components: every
 * 8×8 block is "DC difference 0, end of block", so no real encoder is needed.
 */
export function flatJpeg(width: number, height: number, components: 1 | 3 | 4, extraSegments: Uint8Array[] = []): Uint8Array {
  const segment = (marker: number, data: ArrayLike<number>) => concat([0xff, marker], [(data.length + 2) >> 8, (data.length + 2) & 255], data);
  const ids = Array.from({ length: components }, (_, i) => i + 1);
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8) * components;
  // "00" (DC category 0) then "1010" (AC end of block) per block, padded with ones.
  const bits = '001010'.repeat(blocks).padEnd(Math.ceil((blocks * 6) / 8) * 8, '1');
  const scan = Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
  return concat(
    [0xff, 0xd8],
    ...extraSegments,
    components === 4 ? segment(0xee, [...text('Adobe'), 0, 100, 0, 0, 0, 0, 0]) : [],
    segment(0xdb, [0, ...new Array(64).fill(1)]),
    segment(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, components, ...ids.flatMap((id) => [id, 0x11, 0])]),
    segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES]),
    segment(0xc4, [0x10, ...AC_BITS, ...AC_VALUES]),
    segment(0xda, [components, ...ids.flatMap((id) => [id, 0x00]), 0, 63, 0]),
    scan,
    [0xff, 0xd9],
  );
}

/** An EXIF APP1 segment that says "rotate 90° clockwise to display" (orientation 6). */
export function exifOrientation(value: number): Uint8Array {
  const tiff = [0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0, 0, 0, 0, 0];
  const data = [...text('Exif'), 0, 0, ...tiff];
  return concat([0xff, 0xe1, (data.length + 2) >> 8, (data.length + 2) & 255], data);
}

/** A 16×16 GIF of `frames` frames (two colours), encoded with literal LZW codes only. */
export function gif(frames: number, firstColour = 0): Uint8Array {
  const frame = (colour: number) => {
    // Code size 2: clear = 4, end = 5. A clear every two pixels keeps every code 3 bits wide.
    const codes = [4];
    for (let i = 0; i < 256; i++) {
      codes.push(colour);
      if (i % 2 === 1) codes.push(4);
    }
    codes.push(5);
    const bytes: number[] = [];
    let acc = 0;
    let n = 0;
    for (const code of codes) {
      acc |= code << n;
      n += 3;
      while (n >= 8) {
        bytes.push(acc & 255);
        acc >>= 8;
        n -= 8;
      }
    }
    if (n > 0) bytes.push(acc & 255);
    const blocks: number[] = [];
    for (let i = 0; i < bytes.length; i += 255) blocks.push(Math.min(255, bytes.length - i), ...bytes.slice(i, i + 255));
    return [0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 16, 0, 16, 0, 0, 2, ...blocks, 0];
  };
  const loop = frames > 1 ? [0x21, 0xff, 11, ...text('NETSCAPE2.0'), 3, 1, 0, 0, 0] : [];
  const body = Array.from({ length: frames }, (_, i) => frame((firstColour + i) % 2));
  return concat(text('GIF89a'), [16, 0, 16, 0, 0x80, 0, 0], [200, 40, 40, 40, 40, 200], loop, ...body, [0x3b]);
}

/** A zip whose one entry claims to unpack to `claimed` bytes (a zip bomb's signature). */
export function bombZip(claimed: number): Uint8Array {
  const zip = zipSync({ 'bomb/huge.png': new Uint8Array(1024) }, { level: 9 });
  const view = new DataView(zip.buffer);
  // Patch the uncompressed size in the local header (offset 22) and the central directory (offset 24).
  view.setUint32(22, claimed, true);
  const central = zip.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
  view.setUint32(central + 24, claimed, true);
  return zip;
}

const photos = new URL('../../../public/samples/photos/', import.meta.url).pathname;
export const samplePhoto = (name: string) => new Uint8Array(readFileSync(photos + name));

/** At least twenty distinct cases, good and bad. */
export function inputCases(): InputCase[] {
  const jpeg = samplePhoto('aqua-c.jpg');
  const colourful = (x: number, y: number, c: number) => [x * 4, y * 4, 128, 255][c] & 255;
  const pngNoEnd = png(32, 32, 2, 8, colourful);
  return [
    { name: 'empty.jpg', bytes: new Uint8Array(), expect: { used: false, reason: /is empty \(0 bytes\)/ } },
    { name: 'notes.jpg', bytes: text('These are my notes, not a photo.\n'), expect: { used: false, reason: /is a text file, not an image/ } },
    { name: 'manual.jpg', bytes: concat(text('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), new Uint8Array(200)), expect: { used: false, reason: /is a PDF document/ } },
    { name: 'setup.jpg', bytes: concat(text('MZ'), new Uint8Array(300).fill(0x90)), expect: { used: false, reason: /is a program/ } },
    { name: 'photos.jpg', bytes: zipSync({ 'a.txt': text('x') }), expect: { used: false, reason: /is a zip archive: name it \.zip/ } },
    { name: 'cut-off.jpg', bytes: jpeg.slice(0, Math.floor(jpeg.length / 2)), expect: { used: false, reason: /is truncated/ } },
    { name: 'cut-off.png', bytes: pngNoEnd.slice(0, pngNoEnd.length - 12), expect: { used: false, reason: /is truncated/ } },
    { name: 'garbled.jpg', bytes: concat([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0], new Uint8Array(400).fill(0x5a), [0xff, 0xd9]), expect: { used: false, reason: /could not be decoded/ } },
    {
      name: 'drawing.svg',
      bytes: text('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script><rect width="64" height="64"/></svg>'),
      expect: { used: false, reason: /is an SVG drawing/ },
    },
    { name: 'phone.heic', bytes: concat([0, 0, 0, 24], text('ftypheic'), [0, 0, 0, 0], text('mif1heic'), new Uint8Array(100)), expect: { used: false, reason: /HEIC\/HEIF photo/ } },
    { name: 'gigantic.png', bytes: concat(png(16, 16, 2, 8, colourful).slice(0, 16), be32(40000), be32(40000), [8, 2, 0, 0, 0], new Uint8Array(4), chunk('IEND', new Uint8Array())), expect: { used: false, reason: /40000×40000 px \(1600 megapixels\), above the limit/ } },
    { name: 'speck.png', bytes: png(8, 8, 2, 8, colourful), expect: { used: false, reason: /only 8×8 px/ } },
    { name: 'deep-grey.png', bytes: png(64, 48, 0, 16, (x) => x * 1000), expect: { used: true, size: [64, 48] } },
    { name: 'grey.png', bytes: png(64, 48, 0, 8, (x, y) => (x + y) * 2), expect: { used: true, size: [64, 48] } },
    { name: 'cutout.png', bytes: png(64, 64, 6, 8, (x, _y, c) => (c === 3 ? (x < 32 ? 0 : 255) : [255, 0, 0][c])), expect: { used: true, note: /transparent parts.*grey/ } },
    { name: 'print.jpg', bytes: flatJpeg(64, 48, 4), expect: { used: true, size: [64, 48] } },
    { name: 'sideways.jpg', bytes: flatJpeg(64, 32, 3, [exifOrientation(6)]), expect: { used: true, size: [32, 64] } },
    { name: 'spinner.gif', bytes: gif(2), expect: { used: true, note: /animated: only its first frame is used/ } },
    { name: 'still.gif', bytes: gif(1, 1), expect: { used: true, size: [16, 16] } },
    { name: 'small.png', bytes: png(40, 30, 2, 8, colourful), expect: { used: true, size: [40, 30] } },
    { name: 'photo.jpg', bytes: jpeg, expect: { used: true } },
  ];
}
