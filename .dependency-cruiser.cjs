/**
 * The layering of DESIGN.md, enforced by `npm run lint`: resolvers → src/pipeline and src/jobs →
 * src/llm, src/pricing → generators → plain domain types. Nothing under src/ imports resolvers/,
 * generators import nothing from src/, and no import goes round in a cycle.
 */
module.exports = {
  forbidden: [
    {
      name: 'src-not-to-resolvers',
      comment:
        'src/ is below the GraphQL layer: types both need move down (src/ or entities/). The one ' +
        'exception is the composition root, src/schema.ts, which assembles the resolver classes.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/schema[.]ts$' },
      to: { path: '^resolvers/' },
    },
    {
      name: 'generators-not-to-src',
      comment: 'Generators are pure: (seeded faker, params) → rows. They import nothing from src/.',
      severity: 'error',
      from: { path: '^generators/' },
      to: { path: '^src/' },
    },
    {
      name: 'generators-not-to-resolvers',
      severity: 'error',
      from: { path: '^generators/' },
      to: { path: '^resolvers/' },
    },
    {
      name: 'entry-points-not-imported',
      comment:
        'The entry points (server, worker, CLI) sit on top: nothing imports them; what two share lives below.',
      severity: 'error',
      // (the CLI's serve and worker commands start them)
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/(main|worker|cli/main)[.]ts$' },
    },
    {
      name: 'entities-not-to-src',
      comment:
        'Entities are the data model: they import no service code but the GraphQL scalars they are typed with.',
      severity: 'error',
      from: { path: '^entities/' },
      to: { path: '^src/', pathNot: '^src/scalars[.]ts$' },
    },
    {
      name: 'entities-not-to-resolvers',
      severity: 'error',
      from: { path: '^entities/' },
      to: { path: '^resolvers/' },
    },
    {
      name: 'pricing-prices-and-tokens-are-leaves',
      comment: 'Prices and token counting are read by every layer; they read only entities and libraries.',
      severity: 'error',
      from: { path: '^src/pricing/(prices|tokens)[.]ts$' },
      to: { path: '^(src|resolvers|generators)/', pathNot: '^src/pricing/' },
    },
    {
      name: 'llm-not-to-jobs-or-export',
      comment: 'The LLM path writes text and vectors; runs, queues and exports are above it.',
      severity: 'error',
      from: { path: '^src/llm/' },
      to: { path: '^src/(jobs|export|cli)/' },
    },
    {
      name: 'pipeline-not-to-jobs-export-or-cli',
      comment: 'The pipeline generates and stores a run; the queue, exports and CLI drive it from above.',
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/(jobs|export|cli)/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make the layers meaningless (and module load order fragile).',
      severity: 'error',
      from: { path: '^(src|resolvers|generators|entities)/' },
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
