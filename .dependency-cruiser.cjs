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
