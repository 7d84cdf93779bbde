// The edge between errors and HTTP: every failure becomes ONE JSON shape,
// `{ error: { code, message, details? } }`, with the status its code stands for. 5xx bodies carry a
// generic message only; what went wrong is logged and recorded on the span, never sent.
import { Prisma, isDatabaseUnavailable } from '@game-scheduler/db';
import { DomainError, isErrorCode, type ErrorCode } from '@game-scheduler/domain';

export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_JOINED: 409,
  GAME_FULL: 409,
  GAME_NOT_JOINABLE: 409,
  NOT_JOINED: 409,
  INVALID_TRANSITION: 409,
  RATE_LIMITED: 429,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL: 500,
};

const GENERIC_MESSAGES: Partial<Record<ErrorCode, string>> = {
  INTERNAL: 'Something went wrong on our side.',
  DEPENDENCY_UNAVAILABLE: 'A service we depend on is unavailable; try again shortly.',
};

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export interface MappedError {
  readonly status: number;
  readonly body: ErrorBody;
  /** The error as thrown, for logs and the span (5xx only are worth a stack). */
  readonly cause: unknown;
}

interface AjvIssue {
  readonly instancePath?: string;
  readonly message?: string;
  readonly keyword?: string;
  readonly params?: Record<string, unknown>;
}

interface FastifyLikeError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
  readonly validation?: readonly AjvIssue[];
  readonly validationContext?: string;
}

function fieldOf(issue: AjvIssue): string {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean);
  const extra = issue.params?.['missingProperty'] ?? issue.params?.['additionalProperty'];
  if (typeof extra === 'string') path.push(extra);
  return path.join('.');
}

function fromValidation(error: FastifyLikeError): MappedError {
  const location = error.validationContext ?? 'body';
  const issues = (error.validation ?? []).map((issue) => {
    const field = fieldOf(issue);
    return {
      field: field === '' ? location : field,
      message: issue.message ?? 'is invalid',
    };
  });
  const first = issues[0] ?? { field: location, message: 'is invalid' };
  return {
    status: 400,
    body: {
      error: {
        code: 'VALIDATION',
        message: `${location} ${first.field}: ${first.message}`,
        details: { location, field: first.field, issues },
      },
    },
    cause: error,
  };
}

/** Redis (ioredis) unreachable or its connection gone; the database's own cases are the db package's. */
function isDependencyFailure(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return /Connection is closed|Stream isn't writeable/.test(error.message);
}

function body(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
  const generic = GENERIC_MESSAGES[code];
  return {
    error:
      generic !== undefined
        ? { code, message: generic }
        : details === undefined
          ? { code, message }
          : { code, message, details },
  };
}

/**
 * Prisma's answers that a concurrent request explains: a unique key taken meanwhile (P2002), a row
 * gone meanwhile (P2025). The use cases check both first; these are the races past the checks.
 */
const RACE_PRISMA_CODES: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  P2002: { code: 'CONFLICT', message: 'Something changed at the same time; try again' },
  P2025: { code: 'NOT_FOUND', message: 'It no longer exists' },
};

function raceOf(error: unknown): { code: ErrorCode; message: string } | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  return RACE_PRISMA_CODES[error.code];
}

/** Any thrown value → status and body. */
export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    return {
      status: STATUS_BY_CODE[error.code],
      body: body(error.code, error.message, error.details),
      cause: error,
    };
  }
  const race = raceOf(error);
  if (race !== undefined) {
    return { status: STATUS_BY_CODE[race.code], body: body(race.code, race.message), cause: error };
  }
  const fastifyError = (
    typeof error === 'object' && error !== null ? error : {}
  ) as FastifyLikeError;
  if (Array.isArray(fastifyError.validation)) return fromValidation(fastifyError);
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode =
      status === 429
        ? 'RATE_LIMITED'
        : status === 404
          ? 'NOT_FOUND'
          : status === 401
            ? 'UNAUTHENTICATED'
            : status === 403
              ? 'FORBIDDEN'
              : 'VALIDATION';
    const message = fastifyError.message ?? 'Bad request';
    return {
      status,
      body: body(code, message, code === 'VALIDATION' ? { field: 'body' } : undefined),
      cause: error,
    };
  }
  const code: ErrorCode = isDependencyFailure(error) ? 'DEPENDENCY_UNAVAILABLE' : 'INTERNAL';
  return { status: STATUS_BY_CODE[code], body: body(code, ''), cause: error };
}

export function isKnownCode(value: unknown): value is ErrorCode {
  return isErrorCode(value);
}
