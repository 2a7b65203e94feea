/** Raster formats a browser may decode; HEIC and SVG are recognised only to explain why not. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif';

/** What the first bytes of a file say it is, before any decoding. */
export type Sniffed =
  | { ok: true; format: ImageFormat; width?: number; height?: number; animated: boolean }
  | { ok: false; reason: string };

/** Images with more pixels are refused before decoding (a 100 MP RGBA bitmap is 400 MB). */
export const MAX_PIXELS = 100_000_000;
/** Smaller images carry too little to learn from. */
export const MIN_SIDE = 16;
/** Bytes of a file's start that `sniffImage` needs to find the size of any format. */
export const HEAD_BYTES = 256 * 1024;

const latin1 = new TextDecoder('latin1');
const ascii = (b: Uint8Array, at: number, n: number) => latin1.decode(b.subarray(at, at + n));
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const i32le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);

function jpegSize(b: Uint8Array): { width?: number; height?: number } {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return {};
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    at += 2 + u16be(b, at + 2);
  }
  return {};
}

function gifAnimated(b: Uint8Array): boolean {
  // More than one Graphic Control Extension, or a looping application block, means frames.
  let controls = 0;
  for (let i = 13; i + 2 < b.length; i++) if (b[i] === 0x21 && b[i + 1] === 0xf9 && b[i + 2] === 0x04) controls += 1;
  return controls > 1 || ascii(b, 0, b.length).includes('NETSCAPE2.0');
}

function webp(b: Uint8Array): Sniffed {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return { ok: true, format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1, animated: (b[20] & 0x02) !== 0 };
  if (chunk === 'VP8L') {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { ok: true, format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1, animated: false };
  }
  if (chunk === 'VP8 ') return { ok: true, format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, animated: false };
  return { ok: true, format: 'webp', animated: false };
}

/** ISO-BMFF (AVIF, HEIC): the major and compatible brands of the ftyp box decide. */
function isoImage(b: Uint8Array): Sniffed {
  const size = u32be(b, 0);
  const brands = new Set<string>();
  for (let at = 8; at + 4 <= Math.min(size, 64); at += 4) if (at !== 12) brands.add(ascii(b, at, 4));
  if (brands.has('avif') || brands.has('avis')) {
    const text = ascii(b, 0, Math.min(b.length, 4096));
    const ispe = text.indexOf('ispe');
    const dims = ispe > 0 ? { width: u32be(b, ispe + 8), height: u32be(b, ispe + 12) } : {};
    return { ok: true, format: 'avif', ...dims, animated: brands.has('avis') };
  }
  if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].some((brand) => brands.has(brand))) {
    return { ok: false, reason: 'is a HEIC/HEIF photo, which this browser cannot decode: convert it to JPEG first (phones can share photos as JPEG)' };
  }
  return { ok: false, reason: 'is a video or other media file, not an image' };
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0 || (c < 9 && c !== 0) || (c > 13 && c < 32)) return false;
  }
  return true;
}

/**
 * Identifies an image file from its first bytes (see HEAD_BYTES) and its total size: format,
 * pixel size when the header states it, and animation. Everything that is not a usable raster
 * image gets a plain-language reason, so nothing unexpected ever reaches the decoder.
 */
export function sniffImage(head: Uint8Array, totalBytes: number): Sniffed {
  if (totalBytes === 0) return { ok: false, reason: 'is empty (0 bytes)' };
  const b = head;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { ok: true, format: 'jpeg', ...jpegSize(b), animated: false };
  if (u32be(b, 0) === 0x89504e47 && u32be(b, 4) === 0x0d0a1a0a) return { ok: true, format: 'png', width: u32be(b, 16), height: u32be(b, 20), animated: ascii(b, 0, Math.min(b.length, 4096)).includes('acTL') };
  if (ascii(b, 0, 4) === 'GIF8') return { ok: true, format: 'gif', width: u16le(b, 6), height: u16le(b, 8), animated: gifAnimated(b) };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (ascii(b, 0, 2) === 'BM' && b.length > 26) return { ok: true, format: 'bmp', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)), animated: false };
  if (ascii(b, 4, 4) === 'ftyp') return isoImage(b);
  if (ascii(b, 0, 5) === '%PDF-') return { ok: false, reason: 'is a PDF document, not an image' };
  if (ascii(b, 0, 2) === 'MZ' || (b[0] === 0x7f && ascii(b, 1, 3) === 'ELF') || ascii(b, 0, 2) === '#!') return { ok: false, reason: 'is a program, not an image' };
  if (ascii(b, 0, 4) === 'PK\x03\x04') return { ok: false, reason: 'is a zip archive: name it .zip to add the images inside' };
  const start = ascii(b, 0, Math.min(b.length, 1024)).trimStart().toLowerCase();
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && start.includes('<svg'))) {
    return { ok: false, reason: 'is an SVG drawing: only photos and other raster images are used (export it as PNG)' };
  }
  if (looksLikeText(b)) return { ok: false, reason: 'is a text file, not an image' };
  return { ok: false, reason: 'is not an image this page can read (unknown format)' };
}

/** Whether the file's last bytes hold the format's end marker; a cut-off download has none. */
export function looksTruncated(format: ImageFormat, tail: Uint8Array): boolean {
  if (format === 'jpeg') {
    // Some cameras append data after the end marker, so look for it near the end.
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
    return true;
  }
  if (format === 'png') return ascii(tail, Math.max(0, tail.length - 8), 4) !== 'IEND';
  return false;
}

/** Refuses sizes outside the limits, before any pixel is decoded. */
export function sizeProblem(width: number | undefined, height: number | undefined): string | null {
  if (width === undefined || height === undefined) return null;
  if (width === 0 || height === 0) return `claims a size of ${width}×${height} px: the file is damaged`;
  if (width * height > MAX_PIXELS) {
    return `is ${width}×${height} px (${Math.round((width * height) / 1e6)} megapixels), above the limit of ${MAX_PIXELS / 1e6} megapixels: scale it down first`;
  }
  if (Math.min(width, height) < MIN_SIDE) return `is only ${width}×${height} px: at least ${MIN_SIDE} px on each side are needed to learn from it`;
  return null;
}
