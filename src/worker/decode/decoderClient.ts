import type { DecodeRequest, DecodeResponse, DecodeResult } from './decodeApi';

/** Decodes image files to RGBA pixels (and optionally filters them) in a worker. */
export class DecoderClient {
  private readonly worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' });
  private readonly waiting = new Map<number, (results: DecodeResult[]) => void>();
  private nextId = 1;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
      this.waiting.get(event.data.requestId)?.(event.data.results);
      this.waiting.delete(event.data.requestId);
    };
  }

  decode(files: { name: string; blob: Blob }[], options: Pick<DecodeRequest, 'maxSide' | 'filter' | 'limit'>): Promise<DecodeResult[]> {
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(requestId, resolve);
      this.worker.postMessage({ requestId, files, ...options });
    });
  }

  dispose(): void {
    this.worker.terminate();
  }
}
