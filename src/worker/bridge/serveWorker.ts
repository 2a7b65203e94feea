import { errorMessage } from '../../shared/errorMessage';
import { Transfer, type FromWorkerWire, type ToWorkerWire, type WorkerApi } from './wire';

/** What a handler gets besides its argument: the caller's abort, as a signal. */
export interface CallContext {
  signal: AbortSignal;
}

/** One handler per method; it may wrap its result in a {@link Transfer} to move buffers. */
export type Handlers<Api extends WorkerApi> = {
  [K in keyof Api]: (arg: Parameters<Api[K]>[0], context: CallContext) => Awaited<ReturnType<Api[K]>> | Transfer<Awaited<ReturnType<Api[K]>>> | Promise<Awaited<ReturnType<Api[K]>> | Transfer<Awaited<ReturnType<Api[K]>>>>;
};

/** The part of a worker's global scope the server uses. */
export interface WorkerScopeLike {
  postMessage(message: unknown, options?: StructuredSerializeOptions): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/**
 * The worker's side of a {@link WorkerBridge}: runs the handler a call names and replies with
 * its value or its error (with the error's `code`, when it has one). Returns `emit`, for events
 * the worker sends on its own.
 */
export function serveWorker<Api extends WorkerApi, Event = never>(handlers: Handlers<Api>, scope: WorkerScopeLike = self as unknown as WorkerScopeLike) {
  const running = new Map<number, AbortController>();
  const post = (message: FromWorkerWire, transfer: Transferable[] = []) => scope.postMessage(message, { transfer });
  scope.onmessage = async (event: MessageEvent<ToWorkerWire>) => {
    const message = event.data;
    if (message.kind === 'abort') {
      running.get(message.id)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    try {
      // Own methods only: a message naming `toString` or `constructor` calls nothing.
      const handler = Object.hasOwn(handlers, message.method) ? (handlers[message.method] as (arg: unknown, context: CallContext) => unknown) : undefined;
      if (!handler) throw new Error(`This worker has no method ${JSON.stringify(message.method)}`);
      const result = await handler(message.arg, { signal: controller.signal });
      if (controller.signal.aborted) return;
      if (result instanceof Transfer) post({ kind: 'reply', id: message.id, value: result.value }, result.transfer);
      else post({ kind: 'reply', id: message.id, value: result });
    } catch (error) {
      if (controller.signal.aborted) return;
      const code = (error as { code?: unknown } | null)?.code;
      post({ kind: 'fail', id: message.id, message: errorMessage(error), ...(typeof code === 'string' ? { code } : {}) });
    } finally {
      running.delete(message.id);
    }
  };
  return {
    emit(event: Event, transfer: Transferable[] = []): void {
      post({ kind: 'event', event }, transfer);
    },
  };
}
