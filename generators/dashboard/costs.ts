import type { Faker } from '@faker-js/faker';
import type { CostRecord } from '../../entities/cost-record.entity';
import type { AgentProfile } from './agents';
import type { DailyMetricRow } from './metrics';

export type CostRecordRow = Omit<CostRecord, 'run' | 'pricedRun' | 'agent'>;

/** Prices a day of tokens in USD as a decimal string (6 places), or null for an unknown model. */
export type Pricer = (model: string, inputTokens: number, outputTokens: number) => string | null;

/**
 * One cost record per agent per day, from exactly the tokens of that day's metrics, priced by
 * the service's one pricing module (passed in: generators do no lookups of their own).
 */
export function generateCostRecords(
  faker: Faker,
  agents: readonly AgentProfile[],
  metrics: readonly DailyMetricRow[],
  price: Pricer,
): CostRecordRow[] {
  const byId = new Map(agents.map((a) => [a.row.id, a.row]));
  return metrics.map((m) => {
    const agent = byId.get(m.agentId)!;
    const totalCost = price(agent.model, m.totalTokensInput, m.totalTokensOutput);
    if (totalCost === null) throw new Error(`No price for model ${agent.model}`);
    return {
      runId: m.runId,
      id: faker.string.uuid(),
      agentId: m.agentId,
      date: m.date,
      model: agent.model,
      inputTokens: m.totalTokensInput,
      outputTokens: m.totalTokensOutput,
      totalCost,
      pricedRunId: null,
    };
  });
}
