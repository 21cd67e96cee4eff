import { roleCounts } from '../../generators/dashboard/members';
import { generateDashboardRows } from '../../src/pipeline/dashboard/dashboard-pipeline';
import { resolveDashboardRequest } from '../../src/pipeline/dashboard/dashboard-request';
import type { GenerateDashboardInput } from '../../resolvers/types/generate-dashboard.input';
import { costOf, PRICE_SOURCE, priceOf } from '../../src/pricing/prices';
import packageJson from '../../package.json';

const RUN = '00000000-0000-4000-8000-000000000001';
const request = (input: Partial<GenerateDashboardInput> = {}) =>
  resolveDashboardRequest(
    { asOf: new Date('2026-11-01T00:00:00Z'), ...input } as GenerateDashboardInput,
    new Date(),
  );

describe('dashboard generators', () => {
  it('split roles 20/40/40 exactly at any size, with at least one admin', () => {
    expect(roleCounts(10)).toEqual([2, 4, 4]);
    expect(roleCounts(3)).toEqual([1, 1, 1]);
    expect(roleCounts(1000)).toEqual([200, 400, 400]);
    expect(roleCounts(7).reduce((a, b) => a + b)).toBe(7);
  });

  it('scale to 100× with unique names and one metric per agent and day', () => {
    const req = request({ agents: 2000, members: 1000, conversations: 5000, auditLogs: 20_000 });
    const rows = generateDashboardRows(req, RUN);
    expect(rows.metrics).toHaveLength(60_000);
    expect(new Set(rows.agents.map((a) => a.name)).size).toBe(2000);
  });

  it('is deterministic: same seed, same rows', () => {
    const req = request({ agents: 4, conversations: 40, auditLogs: 30, days: 7 });
    expect(generateDashboardRows(req, RUN)).toEqual(generateDashboardRows(req, RUN));
  });
});

describe('pricing', () => {
  it('prices the issue’s models per million tokens, dated names included', () => {
    const per = (m: string) => [
      priceOf(m)!.inputPerMillion.toString(),
      priceOf(m)!.outputPerMillion.toString(),
    ];
    expect(per('gpt-4o-mini')).toEqual(['0.15', '0.6']);
    expect(per('gpt-4o-mini-2024-07-18')).toEqual(['0.15', '0.6']);
    expect(per('gpt-4o')).toEqual(['2.5', '10']);
    expect(per('gpt-4-turbo')).toEqual(['10', '30']);
    expect(per('gpt-3.5-turbo')).toEqual(['0.5', '1.5']);
    expect(priceOf('text-embedding-3-small')!.inputPerMillion.toString()).toBe('0.02');
  });

  it('computes exact decimal costs and has no price (not $0) for unknown models', () => {
    expect(costOf('gpt-4o-mini', 1234, 567)!.toString()).toBe('0.0005253');
    expect(costOf('gpt-4o', 1_000_000, 1_000_000)!.toString()).toBe('12.5');
    expect(costOf('my-local-llama', 1000, 1000)).toBeNull();
  });

  it('names the pinned package version as its source', () => {
    expect(PRICE_SOURCE.version).toBe(packageJson.dependencies['@pydantic/genai-prices']);
  });
});
