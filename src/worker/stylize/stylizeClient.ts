import type { LayersModelArtifacts } from '../../core/persist/layersModelFiles';
import type { RgbaImage } from '../../core/data/pixels';
import type { BackendName } from '../backends/backendReport';
import type { FromStylizer, GeneratorSlot, ToStylizer } from './stylizeApi';

type Reply<T extends FromStylizer['type']> = Extract<FromStylizer, { type: T }>;
type Request = ToStylizer extends infer M ? (M extends ToStylizer ? Omit<M, 'requestId'> : never) : never;

/** Promise-based handle on the stylize worker; one request at a time is plenty for a person. */
export class StylizeClient {
  private readonly worker = new Worker(new URL('./stylize.worker.ts', import.meta.url), { type: 'module' });
  private readonly waiting = new Map<number, { resolve: (reply: FromStylizer) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<FromStylizer>) => {
      const waiter = this.waiting.get(event.data.requestId);
      this.waiting.delete(event.data.requestId);
      if (event.data.type === 'error') waiter?.reject(new Error(event.data.message));
      else waiter?.resolve(event.data);
    };
    this.worker.onerror = (event) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(event.message || 'the stylize worker stopped'));
      this.waiting.clear();
    };
  }

  load(slot: GeneratorSlot, artifacts: LayersModelArtifacts, backend: BackendName): Promise<Reply<'loaded'>> {
    return this.send({ type: 'load', slot, artifacts, backend }, []) as Promise<Reply<'loaded'>>;
  }

  /** The image's pixels are transferred: pass a copy to keep them. */
  stylize(slot: GeneratorSlot, image: RgbaImage): Promise<Reply<'stylized'>> {
    return this.send({ type: 'stylize', slot, image }, [image.data.buffer as ArrayBuffer]) as Promise<Reply<'stylized'>>;
  }

  predict(slot: GeneratorSlot, input: Float32Array, shape: [number, number, number, number]): Promise<Reply<'predicted'>> {
    return this.send({ type: 'predict', slot, input, shape }, []) as Promise<Reply<'predicted'>>;
  }

  dispose(): void {
    this.worker.terminate();
  }

  private send(message: Request, transfer: Transferable[]): Promise<FromStylizer> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(requestId, { resolve, reject });
      this.worker.postMessage({ ...message, requestId } as ToStylizer, { transfer });
    });
  }
}
