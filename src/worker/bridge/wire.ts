// What crosses between a WorkerBridge and the worker it talks to. Plain data, so both sides can
// check it; the typed APIs of each worker sit on top.

/** Methods a worker offers: each takes one argument and resolves to one value. */
export type WorkerApi = Record<string, (arg: never) => unknown>;

export type CallMessage = { kind: 'call'; id: number; method: string; arg: unknown };
export type AbortMessage = { kind: 'abort'; id: number };
export type ToWorkerWire = CallMessage | AbortMessage;

export type ReplyMessage = { kind: 'reply'; id: number; value: unknown } | { kind: 'fail'; id: number; message: string; code?: string };
export type EventMessage = { kind: 'event'; event: unknown };
export type FromWorkerWire = ReplyMessage | EventMessage;

/** A value with the buffers that should move, not be copied, to the other thread. */
export class Transfer<T> {
  constructor(
    readonly value: T,
    readonly transfer: Transferable[],
  ) {}
}

/** A failure the caller can tell apart by `code` (for instance 'bad-config' or 'diverged'). */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

export function abortError(): DOMException {
  return new DOMException('The operation was aborted', 'AbortError');
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
