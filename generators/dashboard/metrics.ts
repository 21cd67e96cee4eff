import type { Faker } from '@faker-js/faker';
import type { DailyMetric } from '../../entities/daily-metric.entity';
import { AgentStatus } from '../../entities/enums';
import type { AgentProfile } from './agents';
import { dayDate, isWeekend, type DashboardWindow } from './window';

export type DailyMetricRow = Omit<DailyMetric, 'run' | 'agent'>;

/** Error-state agents decline over the window's last days (a week, or the whole window if shorter). */
export const DECLINE_DAYS = 7;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * One row per agent per day, the aggregate of all its traffic: 10–100 conversations (weekends
 * half of weekdays, a slight growth over the window, ±10 % noise), mean response time 800–3000 ms
 * around the agent's model-typical speed, success rate in its performance band (0.85–0.99),
 * input tokens = conversations × its tokens per conversation, output ≈ 1.5 × input. Error-state
 * agents decline over the last days: fewer conversations, slower answers, success falling to 0.85.
 */
export function generateDailyMetrics(
  faker: Faker,
  agents: readonly AgentProfile[],
  window: DashboardWindow,
): DailyMetricRow[] {
  const rows: DailyMetricRow[] = [];
  const declineDays = Math.min(DECLINE_DAYS, window.days);
  for (const agent of agents) {
    const [lowSuccess, highSuccess] = agent.successRange;
    for (let i = 0; i < window.days; i++) {
      const growth = 0.95 + (0.1 * i) / Math.max(1, window.days - 1);
      const weekend = isWeekend(window, i) ? 0.5 : 1;
      const declining = agent.row.status === AgentStatus.ERROR && i >= window.days - declineDays;
      const progress = declining ? (i - (window.days - declineDays) + 1) / declineDays : 0;
      const volume =
        agent.baseConversations *
        weekend *
        growth *
        faker.number.float({ min: 0.9, max: 1.1 }) *
        (1 - 0.25 * progress);
      const conversations = clamp(Math.round(volume), 10, 100);
      const normalSuccess = faker.number.float({ min: lowSuccess, max: highSuccess });
      const success = declining ? normalSuccess - (normalSuccess - 0.85) * progress : normalSuccess;
      const response =
        agent.baseResponseMs * faker.number.float({ min: 0.92, max: 1.08 }) * (1 + 0.6 * progress);
      const tokensIn = Math.round(
        conversations * agent.tokensPerConversation * faker.number.float({ min: 0.95, max: 1.05 }),
      );
      rows.push({
        runId: agent.row.runId,
        id: faker.string.uuid(),
        agentId: agent.row.id,
        date: dayDate(window, i),
        conversations,
        avgResponseTimeMs: clamp(Math.round(response), 800, 3000),
        successRate: Math.round(clamp(success, 0.85, 0.99) * 10_000) / 10_000,
        totalTokensInput: tokensIn,
        totalTokensOutput: Math.round(tokensIn * faker.number.float({ min: 1.4, max: 1.6 })),
      });
    }
  }
  return rows;
}
