import type http from 'node:http';
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { ApiKeys } from '../graphql/auth';
import { createContext, type Services } from '../graphql/context';
import type { Database } from '../db/data-source';
import { checkDocument, checkOperation, pickOperation } from '../graphql/request-checks';

export interface WebSocketOptions {
  path: string;
  apiKeys: ApiKeys;
  /** CORS_ORIGINS: a browser page of another origin may only connect when listed ('*': any). */
  corsOrigins: '*' | string[];
  /** Largest message accepted (the same bound as an HTTP body). */
  maxPayload: number;
  /** The HTTP side's error formatter: the same masking for both transports. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * Whether a WebSocket handshake may proceed. Browsers let any page open a socket to any host (no
 * CORS for WebSocket), so the page's origin is checked here: same host as the server, or listed in
 * CORS_ORIGINS. Clients that are not browsers send no Origin and are let through (keys still apply).
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: '*' | readonly string[],
): boolean {
  if (!origin) return true;
  if (allowed === '*' || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's path: subscriptions (runProgress), and
 * queries and mutations too. Apollo's plugins and express's middleware do not run here, so every
 * request goes through the same checks as over HTTP (request-checks.ts: parse limits, validation
 * rules, the key's role for the whole operation, variables, cost), the handshake through the origin
 * check, messages through the size bound, and every error through the same masking.
 */
export function startWebSocket(
  httpServer: http.Server,
  schema: GraphQLSchema,
  db: Database,
  services: Services,
  options: WebSocketOptions,
): { dispose(): void | Promise<void> } {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: options.path,
    maxPayload: options.maxPayload,
    verifyClient: (info, done) => {
      if (originAllowed(info.origin, info.req.headers.host, options.corsOrigins)) done(true);
      else done(false, 403, 'Origin not allowed');
    },
  });
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => {
      // `http` tells Apollo which status to answer with; a socket has none.
      const { http: _http, ...extensions } = error.extensions ?? {};
      return options.formatError({ ...error.toJSON(), extensions }, error);
    });
  return useServer(
    {
      schema,
      onSubscribe: (ctx, _id, payload) => {
        const checked = checkDocument(schema, payload.query);
        if (checked.errors) return checked.errors;
        const context = contextOf(ctx.connectionParams);
        const refused = checkOperation({
          schema,
          document: checked.document,
          operation: pickOperation(checked.document, payload.operationName),
          operationName: payload.operationName,
          variables: payload.variables,
          principal: context.principal,
          transport: 'websocket',
        });
        if (refused) return [refused];
        return {
          schema,
          document: checked.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: context,
        };
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
  );

  function contextOf(params: Readonly<Record<string, unknown>> | undefined) {
    const authorization = params?.Authorization ?? params?.authorization;
    return createContext(
      db,
      services,
      options.apiKeys.identify(typeof authorization === 'string' ? authorization : undefined),
    );
  }
}
