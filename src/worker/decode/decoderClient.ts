import { WorkerBridge } from '../bridge/workerBridge';
import type { DecodeApi, DecodeRequest, DecodeResult } from './decodeApi';

/** Decodes image files to RGBA pixels (and optionally filters them) in a worker. */
export class DecoderClient {
  private readonly bridge = new WorkerBridge<DecodeApi>(() => new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' }), 'decode');

  decode(files: DecodeRequest['files'], options: Omit<DecodeRequest, 'files'>): Promise<DecodeResult[]> {
    return this.bridge.call('decode', { files, ...options });
  }

  dispose(): void {
    this.bridge.dispose();
  }
}
