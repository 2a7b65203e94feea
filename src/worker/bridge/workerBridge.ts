import { errorMessage } from '../../shared/errorMessage';
import { abortError, Transfer, WorkerError, type FromWorkerWire, type ToWorkerWire, type WorkerApi } from './wire';

/** The part of a Worker the bridge uses, so tests can hand it a fake one. */
export interface WorkerLike {
  postMessage(message: unknown, options?: StructuredSerializeOptions): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

export type ArgOf<Api extends WorkerApi, K extends keyof Api> = Parameters<Api[K]>[0];
export type ResultOf<Api extends WorkerApi, K extends keyof Api> = Awaited<ReturnType<Api[K]>> extends Transfer<infer T> ? T : Awaited<ReturnType<Api[K]>>;

export interface CallOptions {
  /** Buffers in the argument that move to the worker (they become empty here). */
  transfer?: Transferable[];
  /** Rejects the call with an AbortError at once and tells the worker to stop working on it. */
  signal?: AbortSignal;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The page's one way to talk to a worker: typed calls with ids that resolve with the worker's
 * reply, events the worker sends on its own, transferables, abort, and a worker that dies or
 * throws where nothing catches rejects every pending call with a message (and every later one).
 */
export class WorkerBridge<Api extends WorkerApi, Event = never> {
  private readonly worker: WorkerLike;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: Event) => void>();
  private readonly crashListeners = new Set<(message: string) => void>();
  private nextId = 1;
  /** Why this bridge no longer works, once it does not. */
  private ended: string | null = null;

  constructor(
    createWorker: () => WorkerLike,
    /** Named in messages: "the stylize worker stopped…". */
    private readonly name: string,
  ) {
    this.worker = createWorker();
    this.worker.onmessage = (event: MessageEvent<FromWorkerWire>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.crash(`the ${this.name} worker stopped: ${event.message || 'it failed to load or threw an error'}`);
    };
    this.worker.onmessageerror = () => this.crash(`the ${this.name} worker sent a message that could not be read`);
  }

  get alive(): boolean {
    return this.ended === null;
  }

  call<K extends keyof Api & string>(method: K, arg: ArgOf<Api, K>, options: CallOptions = {}): Promise<ResultOf<Api, K>> {
    const { signal, transfer = [] } = options;
    if (this.ended !== null) return Promise.reject(new WorkerError(this.ended));
    if (signal?.aborted) return Promise.reject(abortError());
    const id = this.nextId++;
    return new Promise<ResultOf<Api, K>>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.post({ kind: 'abort', id });
        reject(abortError());
      };
      this.pending.set(id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as ResultOf<Api, K>);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.post({ kind: 'call', id, method, arg }, transfer);
    });
  }

  /** Listens to the events the worker sends on its own; returns a function that stops listening. */
  onEvent(listener: (event: Event) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called once if the worker dies on its own (not when disposed). */
  onCrash(listener: (message: string) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** Ends the worker; pending and later calls reject. */
  dispose(): void {
    this.end(`the ${this.name} worker was closed`);
  }

  private post(message: ToWorkerWire, transfer: Transferable[] = []): void {
    try {
      this.worker.postMessage(message, { transfer });
    } catch (error) {
      // An argument that cannot be cloned fails this call only.
      if (message.kind === 'call') this.settle(message.id, (p) => p.reject(new WorkerError(`could not send ${message.method} to the ${this.name} worker: ${errorMessage(error)}`)));
    }
  }

  private receive(message: FromWorkerWire): void {
    if (message.kind === 'event') {
      for (const listener of [...this.eventListeners]) listener(message.event as Event);
    } else if (message.kind === 'reply') {
      this.settle(message.id, (p) => p.resolve(message.value));
    } else {
      this.settle(message.id, (p) => p.reject(new WorkerError(message.message, message.code)));
    }
  }

  private settle(id: number, how: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return; // aborted, or already failed by a crash
    this.pending.delete(id);
    how(pending);
  }

  private crash(message: string): void {
    if (this.ended !== null) return;
    this.end(message);
    for (const listener of [...this.crashListeners]) listener(message);
  }

  private end(message: string): void {
    if (this.ended !== null) return;
    this.ended = message;
    // A worker that threw where nothing catches may be half-broken: end it for good.
    this.worker.terminate();
    const error = new WorkerError(message);
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
