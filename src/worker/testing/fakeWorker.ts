import { MessageChannel } from 'node:worker_threads';
import type { WorkerScopeLike } from '../bridge/serveWorker';
import type { WorkerLike } from '../bridge/workerBridge';

/**
 * A worker in the same thread for tests: a real MessageChannel, so messages are cloned and
 * transferred buffers really move; `throwUncaught` plays an error nothing in the worker caught.
 */
export class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  terminated = false;
  readonly scope: WorkerScopeLike;
  private readonly page;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.page = port1;
    port1.on('message', (data: unknown) => {
      if (!this.terminated) this.onmessage?.({ data } as MessageEvent);
    });
    const scope: WorkerScopeLike = {
      postMessage: (message, options) => port2.postMessage(message, options?.transfer as never),
      onmessage: null,
    };
    port2.on('message', (data: unknown) => {
      if (!this.terminated) scope.onmessage?.({ data } as MessageEvent);
    });
    this.scope = scope;
  }

  postMessage(message: unknown, options?: StructuredSerializeOptions): void {
    this.page.postMessage(message, options?.transfer as never);
  }

  terminate(): void {
    this.terminated = true;
    this.page.close();
  }

  throwUncaught(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}
