import fs from 'node:fs';
import path from 'node:path';
import { OfflineTextWriter } from '../../src/llm/offline-writer';
import { generateDashboardRows } from '../../src/pipeline/dashboard-pipeline';
import { resolveDashboardRequest } from '../../src/pipeline/dashboard-request';
import { Fingerprint } from '../../src/pipeline/fingerprint';
import { generatorVersion } from '../../src/pipeline/generator-version';
import { DiscardSink, generateScenarioRows } from '../../src/pipeline/scenario-pipeline';
import { resolveScenarioRequest } from '../../src/pipeline/scenario-request';
import type { GenerateDashboardInput } from '../../resolvers/types/generate-dashboard.input';
import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';

/**
 * Golden fingerprints: the data a few fixed inputs generate is pinned per generator version.
 * Changing what the generators produce without bumping the version (src/pipeline/
 * generator-version.ts) fails here; after a deliberate change, bump the version and record the new
 * fingerprints with `UPDATE_GOLDEN=1 npm test -- golden`.
 */
const FILE = path.join(__dirname, 'golden-fingerprints.json');
const RUN = '00000000-0000-4000-8000-000000000000';

const SCENARIOS: [string, number, string][] = [
  ['A1', 42, '2026-11-01'],
  ['B3', 7, '2026-06-30'],
  ['C1', 2026, '2026-11-01'],
  ['C4', 1, '2025-01-15'],
];

async function scenarioFingerprint(scenario: string, seed: number, asOf: string): Promise<string> {
  const input = { scenario, seed, asOf: new Date(`${asOf}T00:00:00Z`) } as unknown as GenerateScenarioInput;
  const outcome = await generateScenarioRows(
    new OfflineTextWriter(),
    resolveScenarioRequest(input, new Date()),
    RUN,
    new DiscardSink(),
  );
  return outcome.fingerprint;
}

function dashboardFingerprint(): string {
  const request = resolveDashboardRequest(
    { asOf: new Date('2026-11-01T00:00:00Z') } as GenerateDashboardInput,
    new Date(),
  );
  const fingerprint = new Fingerprint();
  for (const [table, rows] of Object.entries(generateDashboardRows(request, RUN)))
    fingerprint.add(table, rows as object[]);
  return fingerprint.digest();
}

type Golden = Record<string, Record<string, string>>;

it('the pinned inputs generate the data recorded for this generator version', async () => {
  const actual: Golden = {
    [generatorVersion('scenario')]: {},
    [generatorVersion('dashboard')]: { 'default (seed 12345, 2026-11-01)': dashboardFingerprint() },
  };
  for (const [scenario, seed, asOf] of SCENARIOS) {
    actual[generatorVersion('scenario')][`${scenario}/${seed}/${asOf}`] = await scenarioFingerprint(
      scenario,
      seed,
      asOf,
    );
  }
  let golden: Golden = fs.existsSync(FILE) ? JSON.parse(fs.readFileSync(FILE, 'utf8')) : {};
  if (process.env.UPDATE_GOLDEN === '1') {
    golden = { ...golden, ...actual };
    fs.writeFileSync(FILE, `${JSON.stringify(golden, null, 2)}\n`);
  }
  for (const [version, fingerprints] of Object.entries(actual)) {
    const pinned = golden[version];
    if (!pinned) {
      throw new Error(
        `No golden fingerprints for ${version}: record them with UPDATE_GOLDEN=1 npm test -- golden`,
      );
    }
    for (const [input, fingerprint] of Object.entries(fingerprints)) {
      if (pinned[input] !== fingerprint) {
        throw new Error(
          `${input} generates different data under ${version} than was recorded. If the change is deliberate, bump the ` +
            'generator version in src/pipeline/generator-version.ts and record new fingerprints (UPDATE_GOLDEN=1); ' +
            'otherwise generation is no longer deterministic.',
        );
      }
    }
  }
});
