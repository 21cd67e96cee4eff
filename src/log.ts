import pino, { type Logger } from 'pino';

/**
 * The service's one logger: JSON lines on stdout (one object per event, for a log shipper), pretty
 * on a terminal. The level comes from MOCKFORGE_LOG_LEVEL (default info), read here rather than in
 * config.ts because a bad configuration is itself logged.
 */
export const logger: Logger = pino({
  level: process.env.MOCKFORGE_LOG_LEVEL || 'info',
  base: { service: 'mockforge' },
  ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
});

/**
 * The one way an unexpected error is logged: with the id the client or the run's reason carries,
 * so a report can be matched to its line (context: runId, route, …).
 */
export function logUnexpected(errorId: string, error: unknown, context: Record<string, unknown> = {}): void {
  logger.error({ errorId, err: error, ...context }, 'unexpected error');
}
