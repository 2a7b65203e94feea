import { describe, expect, it } from 'vitest';
import { bombZip, inputCases, png, samplePhoto } from '../testing/badInputs';
import { expandZip, ZIP_LIMITS } from './archive';
import { HEAD_BYTES, looksTruncated, sizeProblem, sniffImage } from './imageFormat';
import { zipSync } from 'fflate';

/** What the decode worker decides before decoding: the same three checks, in the same order. */
function precheck(bytes: Uint8Array): string | null {
  const sniffed = sniffImage(bytes.subarray(0, HEAD_BYTES), bytes.length);
  if (!sniffed.ok) return sniffed.reason;
  if (looksTruncated(sniffed.format, bytes.subarray(Math.max(0, bytes.length - 1024)))) return 'is truncated';
  return sizeProblem(sniffed.width, sniffed.height);
}

describe('image checks before decoding', () => {
  const cases = inputCases();
  it('has at least twenty distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(20);
  });
  for (const c of cases) {
    // Corrupt data behind a valid header is only found by decoding (in the browser).
    if (c.name === 'garbled.jpg') continue;
    it(`${c.name}: ${c.expect.used ? 'passes' : 'is refused'}`, () => {
      const problem = precheck(c.bytes);
      if (c.expect.used) expect(problem).toBeNull();
      else expect(problem).toMatch(c.expect.reason);
    });
  }

  it('reads sizes and animation from the headers', () => {
    const byName = Object.fromEntries(cases.map((c) => [c.name, sniffImage(c.bytes, c.bytes.length)]));
    expect(byName['print.jpg']).toEqual({ ok: true, format: 'jpeg', width: 64, height: 48, animated: false });
    expect(byName['spinner.gif']).toMatchObject({ format: 'gif', width: 16, height: 16, animated: true });
    expect(byName['still.gif']).toMatchObject({ animated: false });
    expect(byName['deep-grey.png']).toMatchObject({ format: 'png', width: 64, height: 48 });
    expect(sniffImage(samplePhoto('aqua-c.jpg'), 1)).toMatchObject({ format: 'jpeg', width: 256 });
  });

  it('knows AVIF (still and animated), WebP with animation and BMP from their headers', () => {
    const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
    const be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    const avif = (brand: string) => bytes(be(24), 'ftyp', brand, be(0), 'mif1', 'miaf', be(20), 'ispe', be(0), be(1920), be(1080));
    expect(sniffImage(avif('avif'), 64)).toEqual({ ok: true, format: 'avif', width: 1920, height: 1080, animated: false });
    expect(sniffImage(avif('avis'), 64)).toMatchObject({ format: 'avif', animated: true });
    const vp8x = bytes('RIFF', be(0), 'WEBP', 'VP8X', [10, 0, 0, 0], [0x02, 0, 0, 0], [99, 0, 0], [49, 0, 0]);
    expect(sniffImage(vp8x, 64)).toEqual({ ok: true, format: 'webp', width: 100, height: 50, animated: true });
    const bmp = bytes('BM', new Array(16).fill(0), [64, 0, 0, 0], [0xe0, 0xff, 0xff, 0xff], new Array(8).fill(0));
    expect(sniffImage(bmp, 64)).toEqual({ ok: true, format: 'bmp', width: 64, height: 32, animated: false });
  });
});

describe('zip archives', () => {
  const image = png(20, 20, 2, 8, () => 100);
  it('takes images from nested folders and skips other entries, unsafe paths and inner archives with reasons', () => {
    const zip = zipSync({ 'a/b/c/deep.png': image, 'notes.txt': new TextEncoder().encode('hi'), '../../evil.png': image, 'inner.zip': zipSync({ 'x.png': image }) });
    const out = expandZip(zip, 'set.zip');
    expect(out.files.map((f) => f.name)).toEqual(['set.zip/a/b/c/deep.png']);
    expect(Object.fromEntries(out.problems.map((p) => [p.name, p.reason]))).toEqual({
      'set.zip/notes.txt': 'is not an image file (skipped inside the archive)',
      'set.zip/../../evil.png': 'has a path that points outside the archive (skipped)',
      'set.zip/inner.zip': 'is an archive inside the archive (not opened)',
    });
  });

  it('stops at the unpacked-size limit before inflating a zip bomb', () => {
    const out = expandZip(bombZip(0xfffffff0), 'bomb.zip');
    expect(out.files).toEqual([]);
    expect(out.problems[0].reason).toMatch(/above the 100 MB limit per file/);
    const many = zipSync(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`p${i}.png`, image])));
    const capped = expandZip(many, 'many.zip', { ...ZIP_LIMITS, maxTotalBytes: image.length * 3 });
    expect(capped.files).toHaveLength(3);
    expect(capped.problems[0].reason).toMatch(/stopped here, the rest is skipped \(is it a zip bomb\?\)/);
  });

  it('reports an unreadable archive', () => {
    expect(expandZip(new Uint8Array([1, 2, 3]), 'broken.zip').problems[0].reason).toMatch(/not a readable zip archive/);
  });
});
