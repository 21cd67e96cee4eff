import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ApiKeys, operationRole, type Principal } from './auth';
import { BadRequestError, ErrorCode, OperationResolutionError } from '../errors';
import { checkVariables, nameLiteralValueErrors, noNulInStringLiterals } from './input-checks';
import { checkCost, LIMITS, queryLimitRules } from './limits';

/**
 * Every check a GraphQL request passes before anything runs, in one place for both transports:
 * HTTP (Apollo Server: the parse options, validation rules and the plugin below) and WebSocket
 * (graphql-ws: `checkDocument` and `checkOperation` from its onSubscribe). A request refused on
 * one is refused on the other, with the same code.
 */

/** Parse limits: the token cap also bounds graphql-js validation, which is quadratic in repeated fields. */
export const PARSE_OPTIONS = { maxTokens: LIMITS.maxTokens } as const;

/** Validation rules added to graphql-js's own: request limits and NUL characters. */
export const VALIDATION_RULES = [...queryLimitRules(), noNulInStringLiterals];

/** What the document defines, for the message when `operationName` names none of it. */
function describeOperations(document: DocumentNode): string {
  const names = document.definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => (d.name ? `"${d.name.value}"` : 'an anonymous operation'));
  return names.length ? names.join(', ') : 'no operation';
}

/** The operation a request runs, as graphql-js picks it; null when there is none to pick. */
export function pickOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | null {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((o) => o.name?.value === operationName) ?? null;
  return operations.length === 1 ? operations[0] : null;
}

/**
 * Parses and validates a query as Apollo Server does over HTTP (same limits and rules), naming the
 * argument path of a bad literal: the document, or the errors to answer with.
 */
export function checkDocument(
  schema: GraphQLSchema,
  query: string,
): { document: DocumentNode; errors?: undefined } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(query, PARSE_OPTIONS);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [withCode(error, ErrorCode.GRAPHQL_PARSE_FAILED)] };
    throw error;
  }
  const errors = [...validate(schema, document, [...specifiedRules, ...VALIDATION_RULES])];
  if (errors.length) {
    nameLiteralValueErrors(document, errors);
    return { errors: errors.map((e) => withCode(e, ErrorCode.GRAPHQL_VALIDATION_FAILED)) };
  }
  return { document };
}

/** A parse or validation error as Apollo Server labels it over HTTP (so the formatter treats both alike). */
function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError ?? error,
    extensions: { ...error.extensions, code },
  });
}

export interface OperationRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode | null | undefined;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
  principal: Principal;
  /** Subscriptions need a transport that can stream: graphql-ws. */
  transport: 'http' | 'websocket';
}

/**
 * Checks that need the resolved operation, in the only safe order: the operation must exist (and
 * a subscription must come over WebSocket); the key must allow every field of it (decided for the
 * whole operation before any field runs); its variables must coerce (each problem named by path);
 * and only then is its cost computed from them. Null when it may run.
 */
export function checkOperation(request: OperationRequest): GraphQLError | null {
  const { schema, document, operation, operationName } = request;
  if (!operation) {
    return new OperationResolutionError(
      operationName
        ? `The document has no operation named "${operationName}" (it defines ${describeOperations(document)}). ` +
          'Send the name of one of them as operationName, or none for a document with a single operation.'
        : `The document defines ${describeOperations(document)}: send operationName to say which to run.`,
    );
  }
  if (operation.operation === 'subscription' && request.transport === 'http') {
    return new BadRequestError(
      'Subscriptions run over WebSocket (graphql-ws, the graphql-transport-ws protocol) at this same path, not over HTTP',
    );
  }
  const needed = operationRole(schema, document, operation);
  if (needed) {
    try {
      ApiKeys.require(request.principal, needed.role, needed.field);
    } catch (error) {
      return error as GraphQLError;
    }
  }
  const badVariables = checkVariables(schema, operation, request.variables ?? undefined);
  if (badVariables) return badVariables;
  return checkCost(schema, document, operationName ?? undefined, request.variables ?? {});
}

/**
 * The HTTP side: names bad literals once validation is done, then runs checkOperation. One plugin,
 * because Apollo runs different plugins' `didResolveOperation` concurrently. Every refusal here
 * answers with its HTTP status (400, 401, 403) before anything executes.
 */
export function requestChecksPlugin(): ApolloServerPlugin<{ principal: Principal }> {
  return {
    async requestDidStart() {
      return {
        async validationDidStart({ document }) {
          return async (errors) => {
            if (errors?.length) {
              nameLiteralValueErrors(
                document,
                errors.filter((e): e is GraphQLError => e instanceof GraphQLError),
              );
            }
          };
        },
        async didResolveOperation({ request, document, schema, operation, contextValue }) {
          const refused = checkOperation({
            schema,
            document,
            operation,
            operationName: request.operationName,
            variables: request.variables,
            principal: contextValue.principal,
            transport: 'http',
          });
          if (refused) throw refused;
        },
      };
    },
  };
}
