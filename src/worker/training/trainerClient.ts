import { PROTOCOL_VERSION, transferablesOf, type Fault, type FromWorker, type InitCommand, type LiveHyperparameters, type ToWorker } from './protocol';

export type ReadyEvent = Extract<FromWorker, { type: 'ready' }>;
export type ExportedEvent = Extract<FromWorker, { type: 'exported' }>;
export type CheckpointEvent = Extract<FromWorker, { type: 'checkpoint' }>;
type Reply = ExportedEvent | CheckpointEvent;

/** Everything the worker reports, plus the worker itself dying. */
export type TrainerEvent = FromWorker | { type: 'crashed'; message: string };

function abortError(): DOMException {
  return new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The main thread's handle on the training worker: typed commands, promises for the replies
 * that have one (init, export, checkpoint), one event listener for the rest. Aborting `init` terminates the
 * worker, since backend selection cannot be interrupted from outside.
 */
export class TrainerClient {
  private readonly worker: Worker;
  private listener: ((event: TrainerEvent) => void) | null = null;
  private readonly requests = new Map<number, { resolve: (e: Reply) => void; reject: (e: Error) => void }>();
  private pendingInit: { resolve: (e: ReadyEvent) => void; reject: (e: Error) => void } | null = null;
  private nextRequest = 1;

  constructor(createWorker: () => Worker = () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' })) {
    this.worker = createWorker();
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => this.crash(event.message || 'the training worker stopped unexpectedly');
  }

  /** Sets the one listener for progress, previews and errors; returns a function that removes it. */
  onEvent(listener: (event: TrainerEvent) => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }

  /**
   * Starts a run. The images' pixel buffers are transferred to the worker (they become empty
   * here): pass copies to keep them.
   */
  init(options: Omit<InitCommand, 'type' | 'version'>, signal?: AbortSignal): Promise<ReadyEvent> {
    if (signal?.aborted) return Promise.reject(abortError());
    this.pendingInit?.reject(new Error('superseded by a newer init'));
    return new Promise<ReadyEvent>((resolve, reject) => {
      this.pendingInit = { resolve, reject };
      signal?.addEventListener('abort', () => {
        this.dispose();
        reject(abortError());
      });
      this.send({ type: 'init', version: PROTOCOL_VERSION, ...options });
    });
  }

  start(): void {
    this.send({ type: 'start' });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  step(count = 1): void {
    this.send({ type: 'step', count });
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  update(hyperparameters: Partial<LiveHyperparameters>): void {
    this.send({ type: 'update', hyperparameters });
  }

  requestPreview(): void {
    this.send({ type: 'preview' });
  }

  /** Fault injection for tests (see {@link Fault}). */
  injectFault(fault: Fault): void {
    this.send({ type: 'injectFault', fault });
  }

  /** Both generators in the tfjs Layers format. */
  exportGenerators(signal?: AbortSignal): Promise<ExportedEvent> {
    return this.request<ExportedEvent>('export', signal);
  }

  /** Weights, optimiser state and step, consistent with each other (taken between steps). */
  checkpoint(signal?: AbortSignal): Promise<CheckpointEvent> {
    return this.request<CheckpointEvent>('checkpoint', signal);
  }

  private request<T extends Reply>(type: 'export' | 'checkpoint', signal?: AbortSignal): Promise<T> {
    const requestId = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      this.requests.set(requestId, { resolve: resolve as (e: Reply) => void, reject });
      signal?.addEventListener('abort', () => {
        this.requests.delete(requestId);
        reject(abortError());
      });
      this.send({ type, requestId });
    });
  }

  dispose(): void {
    this.worker.terminate();
    this.failPending(new Error('the training worker was closed'));
  }

  private send(command: ToWorker): void {
    this.worker.postMessage(command, { transfer: transferablesOf(command) });
  }

  private receive(message: FromWorker): void {
    if (message.type === 'ready') {
      this.pendingInit?.resolve(message);
      this.pendingInit = null;
    } else if (message.type === 'exported' || message.type === 'checkpoint') {
      this.requests.get(message.requestId)?.resolve(message);
      this.requests.delete(message.requestId);
    } else if (message.type === 'error') {
      const error = new Error(message.message);
      if (message.requestId !== undefined && this.requests.has(message.requestId)) {
        this.requests.get(message.requestId)?.reject(error);
        this.requests.delete(message.requestId);
      } else if (this.pendingInit) {
        this.pendingInit.reject(error);
        this.pendingInit = null;
      }
    }
    this.listener?.(message);
  }

  private crash(message: string): void {
    // A worker that threw where nothing catches may be half-broken: end it for good.
    this.worker.terminate();
    this.failPending(new Error(message));
    this.listener?.({ type: 'crashed', message });
  }

  private failPending(error: Error): void {
    this.pendingInit?.reject(error);
    this.pendingInit = null;
    for (const waiter of this.requests.values()) waiter.reject(error);
    this.requests.clear();
  }
}
