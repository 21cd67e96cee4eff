import { logger } from '../../src/log';

/**
 * The suites' own process logs nothing (tests assert on errors through the errorLogger option;
 * MOCKFORGE_TEST_LOG_LEVEL=info shows the lines). Servers the tests start as child processes log
 * as usual: the tests read their "ready" lines.
 */
logger.level = process.env.MOCKFORGE_TEST_LOG_LEVEL || 'silent';
