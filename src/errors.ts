import { logUnexpected } from './log';
import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';

/**
 * Every `extensions.code` the API sends, including the ones Apollo Server and the HTTP layer raise.
 * Clients switch on these, never on message text; nothing else in the code spells a code.
 */
export enum ErrorCode {
  /** A value the client sent is invalid; `extensions.field` names it (`input.mainUser.age`). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  /** The operation is over a request limit; `extensions.limit` says which (depth, aliases, …). */
  QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED',
  /** API keys are configured and the request has none, or an unknown one (HTTP 401). */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The key is known but its role may not do this; `extensions.requiredRole` says which may (HTTP 403). */
  FORBIDDEN = 'FORBIDDEN',
  /** The state of a thing forbids the action (e.g. exporting an unfinished run). */
  CONFLICT = 'CONFLICT',
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** The request names an operation the document does not have (or none, with several). */
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  /** The request is malformed for the transport (e.g. a subscription over HTTP, a broken body). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The job queue cannot be reached right now: nothing was queued or written; try again (HTTP 503). */
  QUEUE_UNAVAILABLE = 'QUEUE_UNAVAILABLE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** Anything unexpected: logged with `extensions.errorId`, message masked. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** The HTTP status an error answers with when it stops the whole request before execution. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.QUERY_LIMIT_EXCEEDED]: 400,
  [ErrorCode.OPERATION_RESOLUTION_FAILURE]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.QUEUE_UNAVAILABLE]: 503,
};

/** HTTP status for a code (used by the REST endpoints and errors raised before execution). */
export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/** `{ http: { status } }` for a GraphQLError's extensions: Apollo sets the response status from it. */
function http(code: ErrorCode) {
  return { http: { status: httpStatusOf(code) } };
}

/** One offending input value: where it is (`input.mainUser.age`) and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The request asked for something invalid. `extensions.field` names the first offending input
 * (dotted path); `extensions.problems` lists all of them when there are several. Raised before
 * execution (variables, limits) it answers HTTP 400; inside a resolver the response stays 200 with
 * the error beside whatever other fields resolved, as GraphQL over HTTP expects.
 */
export class BadUserInputError extends GraphQLError {
  constructor(
    message: string,
    field: string,
    problems: FieldProblem[] = [{ field, message }],
    extra: Record<string, unknown> = {},
  ) {
    super(message, {
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        field,
        problems,
        ...extra,
        ...http(ErrorCode.BAD_USER_INPUT),
      },
    });
  }

  /** One error for several problems: the message lists them, `field` is the first. */
  static fromProblems(problems: FieldProblem[], fallbackField = 'input'): BadUserInputError {
    const first = problems[0] ?? { field: fallbackField, message: 'Invalid input' };
    const message =
      problems.length === 1
        ? `Invalid value for ${first.field}: ${first.message}`
        : `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
    return new BadUserInputError(message, first.field, problems);
  }

  /** Builds one error out of class-validator's nested results. */
  static fromValidation(errors: ValidationError[], prefix = ''): BadUserInputError {
    return BadUserInputError.fromProblems(flattenValidationErrors(errors, prefix), prefix || 'input');
  }

  /**
   * The same error about an input that arrived elsewhere: `input.mainUser.age` checked as the
   * 4th input of a batch becomes `inputs[3].mainUser.age`.
   */
  movedTo(from: string, to: string): BadUserInputError {
    const move = (field: string) =>
      field === from || field.startsWith(`${from}.`) || field.startsWith(`${from}[`)
        ? to + field.slice(from.length)
        : field;
    const problems = ((this.extensions.problems as FieldProblem[] | undefined) ?? []).map((p) => ({
      field: move(p.field),
      message: p.message,
    }));
    const message = problems.length ? BadUserInputError.fromProblems(problems).message : this.message;
    return new BadUserInputError(message, move(String(this.extensions.field)), problems);
  }
}

/** The thing asked for does not exist (unknown id). */
export class NotFoundError extends GraphQLError {
  constructor(what: string, field: string, id: string) {
    super(`${what} ${id} not found`, { extensions: { code: ErrorCode.NOT_FOUND, field } });
  }
}

/** The thing exists but its state forbids the action (e.g. cancelling a finished run). */
export class ConflictError extends GraphQLError {
  constructor(message: string, field: string) {
    super(message, { extensions: { code: ErrorCode.CONFLICT, field } });
  }
}

/** Which request limit an operation hit. */
export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

/** The operation is over one of the request limits (checked before anything runs; HTTP 400). */
export class QueryLimitError extends GraphQLError {
  constructor(message: string, limit: LimitName, max: number, extra: Record<string, unknown> = {}) {
    super(message, {
      extensions: {
        code: ErrorCode.QUERY_LIMIT_EXCEEDED,
        limit,
        max,
        ...extra,
        ...http(ErrorCode.QUERY_LIMIT_EXCEEDED),
      },
    });
  }
}

/** The request names no operation the document has (HTTP 400). */
export class OperationResolutionError extends GraphQLError {
  constructor(message: string) {
    super(message, {
      extensions: {
        code: ErrorCode.OPERATION_RESOLUTION_FAILURE,
        ...http(ErrorCode.OPERATION_RESOLUTION_FAILURE),
      },
    });
  }
}

/** A request the transport cannot carry, e.g. a subscription over HTTP (HTTP 400). */
export class BadRequestError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.BAD_REQUEST, ...http(ErrorCode.BAD_REQUEST) } });
  }
}

/** The job queue is unreachable: the mutation queued and wrote nothing (HTTP 503; retry later). */
export class QueueUnavailableApiError extends GraphQLError {
  constructor(message: string) {
    super(message, {
      extensions: { code: ErrorCode.QUEUE_UNAVAILABLE, ...http(ErrorCode.QUEUE_UNAVAILABLE) },
    });
  }
}

/** No API key, or an unknown one, while keys are configured (HTTP 401). */
export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'An API key is required: send "Authorization: Bearer <key>"') {
    super(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, ...http(ErrorCode.UNAUTHENTICATED) } });
  }
}

/** A known key whose role may not do this (HTTP 403). */
export class ForbiddenError extends GraphQLError {
  constructor(requiredRole: string, role: string, what: string) {
    super(`${what} needs the ${requiredRole} role; this key has ${role}`, {
      extensions: { code: ErrorCode.FORBIDDEN, requiredRole, ...http(ErrorCode.FORBIDDEN) },
    });
  }
}

/**
 * Why a run failed, in words that are safe to store on the run and show to any client (no driver,
 * library or provider text). Thrown by code that knows what went wrong; anything else that fails a
 * run is reported generically with an error id (`pipeline/run-executor.ts`).
 */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
}

function flattenValidationErrors(errors: ValidationError[], prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    // Array elements come back as properties "0", "1"…: shown as input.apiReviews[0].
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) problems.push({ field, message });
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, field));
  }
  return problems;
}

/** Codes that may reach a client as they are (raised by us, Apollo Server or graphql-js). */
const SAFE_CODES = new Set<string>(
  Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
);

/** Where masked errors are reported; replaced in tests to keep their output clean. */
export type ErrorLogger = (errorId: string, error: unknown) => void;

/** The default ErrorLogger: the service's structured log. */
export const consoleLogger: ErrorLogger = (errorId, error) => logUnexpected(errorId, error);

/**
 * Apollo's `formatError`: known errors go out as they are (without stack traces); anything else is
 * logged with an id and replaced by a generic INTERNAL_SERVER_ERROR, so no SQL, driver text or
 * stack trace ever reaches a client.
 *
 * Apollo labels every validation-phase error GRAPHQL_VALIDATION_FAILED. Two kinds are more
 * specific and get their own code back: errors about an input value (they carry the argument path
 * in `extensions.field`, added by `input-checks.ts`) are BAD_USER_INPUT, and errors our own
 * validation rules raise (request limits) keep the code they were raised with.
 */
export function createErrorFormatter(log: ErrorLogger = consoleLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = specificCode(formatted, original);
    if (code && SAFE_CODES.has(code) && isSafe(original)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const errorId = randomUUID();
    log(errorId, original);
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId },
    };
  };
}

function specificCode(formatted: GraphQLFormattedError, original: unknown): string | undefined {
  const code = formatted.extensions?.code;
  // Apollo's own request errors without a code ("provided sha does not match query", "Unsupported
  // persisted query version") carry the 4xx they answer with: the client sent something wrong.
  const status = (original as GraphQLError | undefined)?.extensions?.http as { status?: number } | undefined;
  if (
    original instanceof GraphQLError &&
    original.extensions?.code === undefined &&
    status?.status &&
    status.status < 500
  ) {
    return ErrorCode.BAD_REQUEST;
  }
  if (code !== ErrorCode.GRAPHQL_VALIDATION_FAILED) return typeof code === 'string' ? code : undefined;
  const raisedWith = original instanceof GraphQLError ? original.originalError : undefined;
  const ownCode = raisedWith instanceof GraphQLError ? raisedWith.extensions?.code : undefined;
  if (ownCode === ErrorCode.QUERY_LIMIT_EXCEEDED) return ownCode;
  if (typeof formatted.extensions?.field === 'string') return ErrorCode.BAD_USER_INPUT;
  return code;
}

/** A known code is only trusted on errors we (or GraphQL itself) raised, not on wrapped driver errors. */
function isSafe(original: unknown): boolean {
  return original instanceof GraphQLError || !(original instanceof Error);
}

/** An input's path as `extensions.field` names it: `input.apiReviews[0].text` from ['input', 'apiReviews', 0, 'text']. */
export function formatInputPath(parts: readonly (string | number)[]): string {
  return parts.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    '',
  );
}
