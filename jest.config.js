/** Two projects: `unit` (no database) and `integration` (real database over HTTP). */
const common = {
  testEnvironment: 'node',
  transform: {
    // Type checking is `npm run typecheck`'s job; tests only transpile (decorator metadata included).
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
  ],
  // PGlite boots in a few seconds; generation tests write thousands of rows.
  testTimeout: 120000,
};
