import { logger } from '../log';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { ApiKeys } from '../graphql/auth';
import { Role } from '../roles';
import { httpRequests, watchCache } from '../http/metrics';
import { registry as metricsRegistry } from '../runs/run-metrics';
import type { Config } from '../config';
import { createContext, type Context, type Services } from '../graphql/context';
import type { Database } from '../db/data-source';
import { consoleLogger, createErrorFormatter, ErrorCode, type ErrorLogger } from '../errors';
import { exportRun } from '../http/export-route';
import { importRun } from '../http/import-route';
import { PARSE_OPTIONS, requestChecksPlugin, VALIDATION_RULES } from '../graphql/request-checks';
import { startWebSocket } from '../http/websocket';
import { PLAYGROUND_ASSETS, playgroundAssets, playgroundPlugin } from '../http/playground';

export const GRAPHQL_PATH = '/graphql';

export interface RunningServer {
  /** Full URL of the GraphQL endpoint. */
  url: string;
  httpServer: http.Server;
  /** Stops accepting requests and waits for in-flight ones (the database stays open). */
  stop(): Promise<void>;
}

export interface ServerOptions {
  services: Services;
  /** Where masked errors are logged (tests pass a quiet one). */
  errorLogger?: ErrorLogger;
  /** Where start-up warnings go (default the service's log). */
  warn?: (message: string) => void;
}

/**
 * The last express error handler: whatever the HTTP layer raises (a body too large, not JSON, in an
 * unknown charset or encoding, a broken gzip stream, a malformed URL) answers JSON with a code, in
 * GraphQL's error shape on /graphql and as `{"error": {code, message}}` on the other routes — never
 * express's HTML page with a stack.
 */
function jsonErrors(log: ErrorLogger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status =
      typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const { code, message } =
      status === 413
        ? { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body too large' }
        : status === 415
          ? { code: ErrorCode.BAD_REQUEST, message: `Unsupported body: ${bodyProblem(error)}` }
          : error?.type === 'entity.parse.failed'
            ? { code: ErrorCode.BAD_REQUEST, message: 'Request body is not valid JSON' }
            : status < 500
              ? { code: ErrorCode.BAD_REQUEST, message: `Bad request: ${bodyProblem(error)}` }
              : { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
    if (status >= 500) log(randomUUID(), error);
    res.status(status);
    if (req.path === GRAPHQL_PATH) res.json({ errors: [{ message, extensions: { code } }] });
    else res.json({ error: { code, message } });
  };
}

/** What body-parser or the router found wrong, in its own words only where those carry no internals. */
function bodyProblem(error: { type?: string; charset?: string; encoding?: string }): string {
  switch (error?.type) {
    case 'charset.unsupported':
      return `charset "${String(error.charset).slice(0, 40)}" is not supported (send UTF-8)`;
    case 'encoding.unsupported':
      return `content-encoding "${String(error.encoding).slice(0, 40)}" is not supported`;
    case 'request.aborted':
      return 'the request was aborted';
    case 'request.size.invalid':
      return 'the body is not as long as its content-length says';
    default:
      return 'the request could not be read (a malformed URL, header or body)';
  }
}

/**
 * Apollo Server on express: GraphQL at /graphql (GraphiQL for browsers), a health check at
 * /healthz, CSRF prevention, request limits, masked errors and draining on shutdown.
 */
export async function startServer(
  db: Database,
  schema: GraphQLSchema,
  config: Pick<
    Config,
    'port' | 'host' | 'maxBodyBytes' | 'importMaxBytes' | 'apiKeys' | 'corsOrigins' | 'metricsPort'
  >,
  options: ServerOptions,
): Promise<RunningServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const apiKeys = new ApiKeys(config.apiKeys);
  const formatError = createErrorFormatter(options.errorLogger);
  // GraphQL over graphql-ws on the same path, through the same checks as HTTP (websocket.ts).
  const subscriptions = startWebSocket(httpServer, schema, db, options.services, {
    path: GRAPHQL_PATH,
    apiKeys,
    corsOrigins: config.corsOrigins,
    maxPayload: config.maxBodyBytes,
    formatError,
  });
  const apollo = new ApolloServer<Context>({
    schema,
    csrfPrevention: true,
    // main.ts owns signal handling: it stops the server, then closes the database.
    stopOnTerminationSignals: false,
    introspection: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: VALIDATION_RULES,
    parseOptions: PARSE_OPTIONS,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await subscriptions.dispose();
            },
          };
        },
      },
      playgroundPlugin(GRAPHQL_PATH, apiKeys.configured),
      requestChecksPlugin(),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ operationName, request, response }) {
              httpRequests.inc({
                // The operation's own name (the document's), else the one the client sent.
                operation: operationLabel(operationName ?? request.operationName),
                status: String(response.http.status ?? 200),
              });
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.use(PLAYGROUND_ASSETS, playgroundAssets());
  watchCache(options.services.llm.cache);
  /** Whether a plain-HTTP request's key has `role`; answers 401/403 as JSON when not. */
  const authorized = (req: express.Request, res: express.Response, role: Role, what: string): boolean => {
    try {
      ApiKeys.require(apiKeys.identify(req.headers.authorization), role, what);
      return true;
    } catch (error) {
      const code = (error as GraphQLError).extensions?.code;
      res.status(code === ErrorCode.FORBIDDEN ? 403 : 401).json({
        error: { code, message: (error as Error).message },
      });
      return false;
    }
  };
  // Prometheus text format; the admin role when API keys guard the API (or MOCKFORGE_METRICS_PORT).
  app.get('/metrics', async (req, res) => {
    if (!authorized(req, res, Role.ADMIN, 'metrics')) return;
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  app.get('/runs/:id/export', async (req, res) => {
    if (!authorized(req, res, Role.VIEWER, 'export')) return;
    await exportRun(db, schema, req, res, options.errorLogger ?? consoleLogger);
  });
  app.post('/runs/import', async (req, res) => {
    if (!authorized(req, res, Role.ADMIN, 'import')) return;
    await importRun(db, schema, req, res, options.errorLogger ?? consoleLogger, config.importMaxBytes);
  });
  app.get('/healthz', (_req, res) => {
    const engine = options.services.jobs.engine.name;
    res.json({ status: 'ok', database: db.mode, vectorStorage: db.vectorStorage, queue: engine });
  });
  app.use(
    GRAPHQL_PATH,
    cors({
      origin: config.corsOrigins === '*' ? true : config.corsOrigins.length ? config.corsOrigins : false,
    }),
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createContext(db, options.services, apiKeys.identify(req.headers.authorization)),
    }),
  );
  app.use((_req, res) => {
    res.status(404).json({ error: { code: ErrorCode.NOT_FOUND, message: 'No such route' } });
  });
  app.use(jsonErrors(options.errorLogger ?? consoleLogger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    if (config.host) httpServer.listen(config.port, config.host, resolve);
    else httpServer.listen(config.port, resolve);
  });
  if (!apiKeys.configured && !isLoopback(config.host)) {
    (options.warn ?? ((message: string) => logger.warn(message)))(
      'WARNING: listening on every interface without API keys: anyone who can reach this port can ' +
        'generate data, spend the LLM budget and delete runs. Set MOCKFORGE_API_KEYS, or HOST=127.0.0.1 for local use.',
    );
  }
  const metricsServer = config.metricsPort === null ? null : await startMetricsServer(config);
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    httpServer,
    stop: async () => {
      await apollo.stop();
      await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(null)));
    },
  };
}

/** GET /metrics alone on MOCKFORGE_METRICS_PORT (same HOST), for a scraper that holds no API key. */
async function startMetricsServer(config: Pick<Config, 'host' | 'metricsPort'>): Promise<http.Server> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (config.host) server.listen(config.metricsPort!, config.host, resolve);
    else server.listen(config.metricsPort!, resolve);
  });
  return server;
}

/** Operation names seen so far: clients choose them, so the label's values are capped. */
const operationNames = new Set<string>();

/** A request's operation name as a metrics label: the first 100 distinct names, then "other". */
function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= 100 || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
  operationNames.add(name);
  return name;
}

/** Whether a listen address only accepts connections from this machine. */
function isLoopback(host: string | null): boolean {
  return host !== null && ['localhost', '127.0.0.1', '::1'].includes(host);
}
