/**
 * The project's one error type. Every package throws `DomainError` with a code from `ERROR_CODES`;
 * the edges map the code (HTTP status, ephemeral Discord reply, ack/nack) and record it on the span.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GAME_FULL',
  'GAME_NOT_JOINABLE',
  'ALREADY_JOINED',
  'NOT_JOINED',
  'INVALID_TRANSITION',
  'RATE_LIMITED',
  'DEPENDENCY_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Named constants for the codes, so callers can write `ErrorCode.NOT_FOUND`. */
export const ErrorCode = Object.freeze(
  Object.fromEntries(ERROR_CODES.map((code) => [code, code])) as { [C in ErrorCode]: C },
);

export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface DomainErrorOptions {
  readonly details?: ErrorDetails;
  readonly cause?: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** A plain, serialisable form for logs and API bodies (no stack, no cause). */
  toJSON(): { name: string; code: ErrorCode; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { name: this.name, code: this.code, message: this.message }
      : { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** True for a `DomainError`, optionally with the given code. */
export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/** Wraps anything thrown into a `DomainError`; a `DomainError` passes through unchanged. */
export function toDomainError(error: unknown, fallback: ErrorCode = 'INTERNAL'): DomainError {
  if (error instanceof DomainError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DomainError(fallback, message, { cause: error });
}
