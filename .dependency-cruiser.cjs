/**
 * The layering of the code, enforced by `npm run lint` (docs/development.md draws it). Every import
 * points down this list, never up:
 *
 *   src/cli          the command line (its serve and worker commands start the entry points)
 *   src/app          entry points and wiring: main, worker, server, schema
 *   src/http         routes beside GraphQL: playground, /metrics, exports, import, graphql-ws
 *   resolvers        the GraphQL API, thin
 *   src/graphql      what every request passes: context, auth, request checks, validation, limits
 *   src/read         the read path: listings, keyset pages, DataLoaders, dashboard queries
 *   src/export       export formats and import
 *   src/runs         a run's life: the run record (all generation_runs SQL), queue, executor, recovery
 *   src/pipeline     generating and storing a run's rows, its contract and fingerprint, estimates
 *   src/llm          text and vectors: offline writer, LLM writer, cache
 *   src/pricing, src/survey-sensei   prices, token counts, Survey Sensei's own rules
 *   generators       pure (seeded faker, params) → rows
 *   src/db, migrations               the database connection and its schema
 *   entities         the data model
 *   src/*.ts         leaves any layer may use: config, log, errors, roles, canonical JSON
 *
 * A layer may import its own files, any layer below it and the leaves. Each layer has one rule
 * (its name says which), plus one against cycles.
 */
const LAYERS = [
  ['cli', '^src/cli/'],
  ['app', '^src/app/'],
  ['http', '^src/http/'],
  ['resolvers', '^resolvers/'],
  ['graphql', '^src/graphql/'],
  ['read', '^src/read/'],
  ['export', '^src/export/'],
  ['runs', '^src/runs/'],
  ['pipeline', '^src/pipeline/'],
  ['llm', '^src/llm/'],
  ['pricing-and-survey-sensei', '^src/(pricing|survey-sensei)/'],
  ['generators', '^generators/'],
  ['db', '^(src/db|migrations)/'],
  ['entities', '^entities/'],
];

const layerRules = LAYERS.slice(1).map(([name, path], index) => {
  const above = LAYERS.slice(0, index + 1);
  return {
    name: `${name}-not-up`,
    comment: `${name} imports only what is below it: not ${above.map(([n]) => n).join(', ')}.`,
    severity: 'error',
    from: { path },
    to: { path: above.map(([, p]) => `(${p})`).join('|') },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'leaves-import-only-leaves',
      comment: 'The files directly in src/ are leaves: they import nothing of the service but each other.',
      severity: 'error',
      from: { path: '^src/[^/]+[.]ts$' },
      to: { path: '^(src/[^/]+/|resolvers/|generators/|entities/|migrations/)' },
    },
    {
      name: 'pricing-not-to-survey-sensei',
      comment: 'Prices and token counts are read by every layer; they read only entities and libraries.',
      severity: 'error',
      from: { path: '^src/pricing/' },
      to: { path: '^src/survey-sensei/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make the layers meaningless (and module load order fragile).',
      severity: 'error',
      from: { path: '^(src|resolvers|generators|entities|migrations)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|examples)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
