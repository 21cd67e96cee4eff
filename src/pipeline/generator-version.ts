import { version as fakerVersion } from '@faker-js/faker/package.json';

/**
 * Bump when a generator's output changes for the same input: stored on every run, so a changed
 * fingerprint can be told apart from a bug.
 */
const GENERATOR_VERSIONS = { scenario: 3, dashboard: 2 } as const;

export function generatorVersion(kind: keyof typeof GENERATOR_VERSIONS): string {
  return `${kind}@${GENERATOR_VERSIONS[kind]} faker@${fakerVersion}`;
}
