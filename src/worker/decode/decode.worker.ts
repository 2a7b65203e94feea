import { flattenAlpha } from '../../core/data/alpha';
import { expandZip } from '../../core/data/archive';
import { HEAD_BYTES, looksTruncated, sizeProblem, sniffImage } from '../../core/data/imageFormat';
import type { RgbaImage } from '../../core/data/pixels';
import { FILTERS } from '../../core/demos/filters';
import { errorMessage } from '../../shared/errorMessage';
import { serveWorker } from '../bridge/serveWorker';
import { Transfer } from '../bridge/wire';
import type { DecodeApi, DecodeRequest, DecodeResult } from './decodeApi';

/** Checks the header, then decodes (scaled down while decoding when it is much too big). */
async function decode(name: string, blob: Blob, maxSide: number): Promise<DecodeResult> {
  const head = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  const sniffed = sniffImage(head, blob.size);
  if (!sniffed.ok) return { name, ok: false, reason: sniffed.reason };
  const tooBig = sizeProblem(sniffed.width, sniffed.height);
  if (tooBig) return { name, ok: false, reason: tooBig };
  if (looksTruncated(sniffed.format, new Uint8Array(await blob.slice(Math.max(0, blob.size - 1024)).arrayBuffer()))) {
    return { name, ok: false, reason: 'is truncated (its end is missing): download or export it again' };
  }
  const { width: w = 0, height: h = 0 } = sniffed;
  // A 50-megapixel photo is decoded straight to a small bitmap instead of 200 MB of pixels.
  const shrink = Math.max(w, h) > 4 * maxSide ? (w >= h ? { resizeWidth: 2 * maxSide } : { resizeHeight: 2 * maxSide }) : {};
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none', resizeQuality: 'high', ...shrink });
  } catch {
    return { name, ok: false, reason: 'could not be decoded: the file is damaged, or a kind of image this browser cannot read' };
  }
  try {
    const notes: string[] = [];
    const small = sizeProblem(bitmap.width, bitmap.height);
    if (small) return { name, ok: false, reason: small };
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas available in this worker');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    const { data } = context.getImageData(0, 0, width, height);
    if (flattenAlpha(data)) notes.push('has transparent parts: they are put on a grey background (kept)');
    if (sniffed.animated) notes.push('is animated: only its first frame is used (kept)');
    return { name, ok: true, image: { width, height, data }, notes };
  } finally {
    bitmap.close();
  }
}

/** Files in order, with .zip archives replaced by their image entries (or their problems). */
async function* expand(files: DecodeRequest['files']): AsyncGenerator<{ name: string; blob: Blob } | DecodeResult> {
  for (const file of files) {
    if (!/\.zip$/i.test(file.name)) {
      yield file;
      continue;
    }
    const archive = expandZip(new Uint8Array(await file.blob.arrayBuffer()), file.name);
    for (const problem of archive.problems) yield { name: problem.name, ok: false, reason: problem.reason };
    for (const entry of archive.files) yield { name: entry.name, blob: new Blob([entry.bytes as Uint8Array<ArrayBuffer>]) };
  }
}

serveWorker<DecodeApi>({
  async decode({ files, maxSide, filter, limit = { remaining: Infinity, cap: Infinity } }) {
    const results: DecodeResult[] = [];
    let kept = 0;
    for await (const item of expand(files)) {
      if ('ok' in item) {
        results.push(item);
      } else if (kept >= limit.remaining) {
        results.push({ name: item.name, ok: false, reason: `is beyond the limit of ${limit.cap} images per set (skipped)` });
      } else {
        let result: DecodeResult;
        try {
          result = await decode(item.name, item.blob, maxSide);
        } catch (error) {
          result = { name: item.name, ok: false, reason: `could not be read (${errorMessage(error)})` };
        }
        if (result.ok) {
          kept += 1;
          if (filter) result.filtered = FILTERS[filter].apply(result.image as RgbaImage);
        }
        results.push(result);
      }
    }
    return new Transfer(results, results.flatMap((r) => (r.ok ? [r.image.data.buffer, ...(r.filtered ? [r.filtered.data.buffer] : [])] : [])) as ArrayBuffer[]);
  },
});
