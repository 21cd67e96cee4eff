import { version as fakerVersion } from '@faker-js/faker/package.json';

/**
 * Bump when a generator's output changes for the same input: stored on every run, so a changed
 * fingerprint can be told apart from a bug.
 */
// scenario@4: the same rows as @3; its fingerprint takes the orders by chunk digests (shards).
const GENERATOR_VERSIONS = { scenario: 4, dashboard: 2 } as const;

export function generatorVersion(kind: keyof typeof GENERATOR_VERSIONS): string {
  return `${kind}@${GENERATOR_VERSIONS[kind]} faker@${fakerVersion}`;
}
