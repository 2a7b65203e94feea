import type { ErrorCode } from './protocol';

/** A refusal or failure with the code the page tells apart (it crosses the bridge as `code`). */
export class SessionError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
