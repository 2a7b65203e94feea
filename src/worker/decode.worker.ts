import type { RgbaImage } from '../core/data/pixels';
import { FILTERS } from '../core/filters/filters';
import type { DecodeRequest, DecodeResponse, DecodeResult } from './decodeProtocol';

// Decoding and filtering happen here, never on the main thread.
async function decode(blob: Blob, maxSide: number): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas available in this worker');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    const { data } = context.getImageData(0, 0, width, height);
    return { width, height, data };
  } finally {
    bitmap.close();
  }
}

onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const { requestId, files, maxSide, filter } = event.data;
  const results: DecodeResult[] = [];
  for (const { name, blob } of files) {
    try {
      const image = await decode(blob, maxSide);
      results.push({ name, ok: true, image, filtered: filter ? FILTERS[filter].apply(image) : undefined });
    } catch (error) {
      results.push({ name, ok: false, reason: `could not be decoded as an image (${error instanceof Error ? error.message : String(error)})` });
    }
  }
  const transfer = results.flatMap((r) => (r.ok ? [r.image.data.buffer, ...(r.filtered ? [r.filtered.data.buffer] : [])] : [])) as ArrayBuffer[];
  postMessage({ requestId, results } satisfies DecodeResponse, { transfer });
};
