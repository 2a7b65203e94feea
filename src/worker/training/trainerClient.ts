import type { LiveSettings } from '../../core/config';
import type { GanState } from '../../core/gan/state';
import { WorkerBridge, type ArgOf, type WorkerLike } from '../bridge/workerBridge';
import { isAbort, WorkerError } from '../bridge/wire';
import { createTfjsWorker } from '../tfjsWorker';
import { PROTOCOL_VERSION, transferablesOfInit, type ErrorCode, type ExportedGenerators, type Fault, type InitRequest, type Ready, type TrainingApi, type TrainingEvent } from './protocol';

export type ReadyEvent = { type: 'ready' } & Ready;

/** Everything the page hears about a training: the worker's events, its replies to init, refusals, and the worker dying. */
export type TrainerEvent = TrainingEvent | ReadyEvent | { type: 'crashed'; message: string };

/**
 * The main thread's handle on one training worker, over the {@link WorkerBridge}: typed
 * commands, promises for the replies that have one (init, export, checkpoint), and one listener
 * for everything the page should show — a refused command arrives there as an `error` too.
 */
export class TrainerClient {
  private readonly bridge: WorkerBridge<TrainingApi, TrainingEvent>;
  private listener: ((event: TrainerEvent) => void) | null = null;

  constructor(createWorker: () => WorkerLike = createTfjsWorker) {
    this.bridge = new WorkerBridge(createWorker, 'training');
    this.bridge.onEvent((event) => this.listener?.(event));
    this.bridge.onCrash((message) => this.listener?.({ type: 'crashed', message }));
  }

  /** Sets the one listener; returns a function that removes it. */
  onEvent(listener: (event: TrainerEvent) => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }

  /**
   * Starts a run. The images' pixel buffers are transferred to the worker (they become empty
   * here): pass copies to keep them. Aborting ends the worker, since backend selection cannot be
   * interrupted from outside.
   */
  async init(options: Omit<InitRequest, 'version'>, signal?: AbortSignal): Promise<ReadyEvent> {
    const request: InitRequest = { version: PROTOCOL_VERSION, ...options };
    signal?.addEventListener('abort', () => this.dispose(), { once: true });
    const ready: ReadyEvent = { type: 'ready', ...(await this.call('init', request, transferablesOfInit(request), signal)) };
    this.listener?.(ready);
    return ready;
  }

  start(): void {
    void this.call('start', undefined).catch(() => undefined);
  }

  pause(): void {
    void this.call('pause', undefined).catch(() => undefined);
  }

  resume(): void {
    void this.call('resume', undefined).catch(() => undefined);
  }

  step(count = 1): void {
    void this.call('step', count).catch(() => undefined);
  }

  stop(): void {
    void this.call('stop', undefined).catch(() => undefined);
  }

  update(settings: LiveSettings): void {
    void this.call('update', settings).catch(() => undefined);
  }

  requestPreview(): void {
    void this.call('preview', undefined).catch(() => undefined);
  }

  /** Fault injection for tests (see {@link Fault}). */
  injectFault(fault: Fault): void {
    void this.call('injectFault', fault).catch(() => undefined);
  }

  /** The trained generators in the tfjs Layers format. */
  exportGenerators(signal?: AbortSignal): Promise<ExportedGenerators> {
    return this.call('export', undefined, [], signal);
  }

  /** Weights, optimiser state and step, consistent with each other (taken between steps). */
  checkpoint(signal?: AbortSignal): Promise<GanState> {
    return this.call('checkpoint', undefined, [], signal);
  }

  dispose(): void {
    this.bridge.dispose();
  }

  /** One call; a refusal from the live worker also reaches the listener, as the page shows it. */
  private async call<K extends keyof TrainingApi & string>(method: K, arg: ArgOf<TrainingApi, K>, transfer: Transferable[] = [], signal?: AbortSignal) {
    try {
      return await this.bridge.call(method, arg, { transfer, signal });
    } catch (error) {
      if (!isAbort(error) && error instanceof WorkerError && this.bridge.alive) this.listener?.({ type: 'error', code: (error.code ?? 'training-failed') as ErrorCode, message: error.message });
      throw error;
    }
  }
}
