import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';

/** Every `extensions.code` the API sends. Clients switch on these, never on message text. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** One offending input value: where it is (`input.mainUser.age`) and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The request asked for something invalid. `extensions.field` names the first offending input
 * (dotted path); `extensions.problems` lists all of them when there are several.
 */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, field: string, problems: FieldProblem[] = [{ field, message }]) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field, problems } });
  }

  /** Builds one error out of class-validator's nested results. */
  static fromValidation(errors: ValidationError[], prefix = ''): BadUserInputError {
    const problems = flattenValidationErrors(errors, prefix);
    const first = problems[0] ?? { field: prefix || 'input', message: 'Invalid input' };
    const message =
      problems.length === 1
        ? `Invalid value for ${first.field}: ${first.message}`
        : `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
    return new BadUserInputError(message, first.field, problems);
  }
}

/** The thing asked for does not exist (unknown id). */
export class NotFoundError extends GraphQLError {
  constructor(what: string, field: string, id: string) {
    super(`${what} ${id} not found`, { extensions: { code: ErrorCode.NOT_FOUND, field } });
  }
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

/** Codes produced by Apollo Server itself for malformed requests; safe to show as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
]);

/** Where masked errors are reported; replaced in tests to keep their output clean. */
export type ErrorLogger = (errorId: string, error: unknown) => void;

const consoleLogger: ErrorLogger = (errorId, error) => {
  console.error(`[mockforge] unexpected error ${errorId}:`, error);
};

/**
 * Apollo's `formatError`: known errors go out as they are (without stack traces); anything else is
 * logged with an id and replaced by a generic INTERNAL_SERVER_ERROR, so no SQL, driver text or
 * stack trace ever reaches a client.
 */
export function createErrorFormatter(log: ErrorLogger = consoleLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && isSafe(original)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
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

/** A known code is only trusted on errors we (or GraphQL itself) raised, not on wrapped driver errors. */
function isSafe(original: unknown): boolean {
  return original instanceof GraphQLError || !(original instanceof Error);
}
