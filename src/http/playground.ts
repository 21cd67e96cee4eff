import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type Router } from 'express';

/** A file inside an installed package (its `exports` map hides the UMD builds from require). */
function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** URL prefix of the playground's static assets. */
export const PLAYGROUND_ASSETS = '/playground';

/**
 * GraphiQL, served from node_modules rather than a CDN so the playground works offline. The
 * assets are the UMD builds that ship inside the graphiql, react and react-dom packages.
 */
export function playgroundAssets(): Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'graphiql.min.js': packageFile('graphiql', 'graphiql.min.js'),
    'graphiql.min.css': packageFile('graphiql', 'graphiql.min.css'),
    'react.production.min.js': packageFile('react', 'umd/react.production.min.js'),
    'react-dom.production.min.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
  };
  for (const [name, file] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(path.resolve(file), { maxAge: '1d' }));
  }
  return router;
}

const EXAMPLE = `# Welcome to MockForge. Try:
query Runs {
  runs(first: 5) {
    totalCount
    nodes { id kind scenarioId status rowCounts { products users reviews conversations } }
  }
}
`;

/**
 * GraphiQL can keep sending the name of an operation that was just renamed or made anonymous; a
 * document with a single operation then runs without the stale name instead of being refused.
 */
const KEEP_OPERATION_NAME_HONEST = String.raw`
      const fetcher = (params, options) => {
        const query = params.query || '';
        const operations = query.match(/(^|[^\w])(query|mutation|subscription)\b|^\s*\{/gm) || [];
        const named = new RegExp('\\b(query|mutation|subscription)\\s+' + params.operationName + '\\b');
        if (params.operationName && operations.length <= 1 && !named.test(query)) {
          params = { ...params, operationName: undefined };
        }
        return send(params, options);
      };`;

function html(endpoint: string, keysRequired: boolean): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>MockForge GraphQL playground</title>
    <link rel="stylesheet" href="${PLAYGROUND_ASSETS}/graphiql.min.css" />
    <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="${PLAYGROUND_ASSETS}/react.production.min.js"></script>
    <script src="${PLAYGROUND_ASSETS}/react-dom.production.min.js"></script>
    <script src="${PLAYGROUND_ASSETS}/graphiql.min.js"></script>
    <script>
      const url = ${JSON.stringify(endpoint)};
      const subscriptionUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + url;
      // Subscriptions get the Headers tab too (as graphql-ws connection params): one client per set of headers.
      const fetchers = new Map();
      const send = (params, options) => {
        const headers = (options && options.headers) || {};
        const key = JSON.stringify(headers);
        if (!fetchers.has(key)) fetchers.set(key, GraphiQL.createFetcher({ url, subscriptionUrl, wsConnectionParams: headers }));
        return fetchers.get(key)(params, options);
      };
${KEEP_OPERATION_NAME_HONEST}
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultQuery: ${JSON.stringify(EXAMPLE)},
          // API keys go in the Headers tab (below the editor) as a bearer token.
          defaultHeaders: ${JSON.stringify(keysRequired ? JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2) : '')},
        }),
      );
    </script>
  </body>
</html>`;
}

/** Apollo landing-page plugin: browsers opening /graphql get GraphiQL instead of a CDN page. */
export function playgroundPlugin(endpoint: string, keysRequired: boolean): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: html(endpoint, keysRequired) };
        },
      };
    },
  };
}
