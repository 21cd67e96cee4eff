import { version as fakerVersion } from '@faker-js/faker/package.json';

/**
 * Bump when a generator's output changes for the same input: stored on every run, so a changed
 * fingerprint can be told apart from a bug.
 */
// scenario@4: the same rows as @3; its fingerprint takes the orders by chunk digests (shards).
// scenario@5, dashboard@3: the same rows; the fingerprint is taken from the stored rows, every
// table and vector included (stored-fingerprint.ts).
// scenario@6: every scenario has the survey trigger purchase (the scenario's exact purchases come
// before it); similar products are the main product's type, every product priced in its type's
// band; offline embeddings carry meaning (type ≫ category ≫ other; reviews near their product).
// dashboard@4: the fleet grows (a stopped or declining agent's traffic goes to the healthy ones);
// lastActiveAt falls on the agent's last day with traffic.
// dashboard@5: pricing DOCUMENT by default (the strategy document's prices and token shapes).
// dashboard@6: the stored conversations are a systematic sample of the traffic (each agent-day its
// proportional share, rounded down or up).
// dashboard@7: members work in sessions; agents created and deleted during the window are real
// rows (deletedAt), error agents' trouble is logged; the fleet's demand grows 0.98 → 1.02.
// scenario@7: dates tell the story — pending orders still in transit (placed in the last 4 days),
// deliveries on time but for exactly 8 % late, a returned item's review after the return; and
// agents have a deletedAt column (null), so the pipeline agents' stored text changes too.
const GENERATOR_VERSIONS = { scenario: 7, dashboard: 7 } as const;

/** The first versions whose fingerprint is taken from the stored rows (older ones hashed generated rows). */
const STORED_FINGERPRINT_SINCE = { scenario: 5, dashboard: 3 } as const;

/** Whether a run of this generator version has a fingerprint its stored rows can be checked against. */
export function fingerprintFromStoredRows(version: string): boolean {
  const match = /^(scenario|dashboard)@(\d+) /.exec(version);
  return match !== null && Number(match[2]) >= STORED_FINGERPRINT_SINCE[match[1] as 'scenario' | 'dashboard'];
}

export function generatorVersion(kind: keyof typeof GENERATOR_VERSIONS): string {
  return `${kind}@${GENERATOR_VERSIONS[kind]} faker@${fakerVersion}`;
}
