/**
 * Errors with a name and a stable code (as Bolt's `CodedError`), so the command line, the bots and `doctor`
 * can tell them apart and scripts can match the code rather than the wording.
 */

/** Every code an error of ours can carry; codes are stable, their messages may change. */
export type ErrorCode =
  | "CONFIG_INVALID"
  | "GLOSSARY_INVALID"
  | "INDEX_MISSING"
  | "INDEX_MISMATCH"
  | "INDEX_SWAP_FAILED"
  | "INDEX_RELOAD_FAILED"
  | "REDIS_UNREACHABLE"
  | "DELIVERY_TRANSIENT"
  | "DELIVERY_PERMANENT"
  | "SHUTDOWN_TIMEOUT";

/** An error with a stable `code`; its `name` is that of the subclass that threw it. */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The code of an error of ours, or undefined for any other error. */
export function errorCode(error: unknown): ErrorCode | undefined {
  return error instanceof CodedError ? error.code : undefined;
}
