import type { Faker } from '@faker-js/faker';
import type { DailyMetric } from '../../entities/daily-metric.entity';
import { AgentStatus } from '../../entities/enums';
import { TOKEN_NOISE } from './catalog';
import type { AgentProfile } from './agents';
import { hoursOf, type Lifecycles } from './lifecycle';
import { dayDate, isBusinessHour, isWeekend, BUSINESS_HOURS, type DashboardWindow } from './window';

export type DailyMetricRow = Omit<DailyMetric, 'run' | 'agent'>;

/** Error-state agents decline over the window's last days (a week, or the whole window if shorter). */
export const DECLINE_DAYS = 7;

/** Success rate an error-state agent has fallen to on the window's last day. */
export const DECLINE_FLOOR = 0.85;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** An hour's share of a day's traffic: business hours weigh 3, the others 1. */
const hourWeight = (h: number) => (isBusinessHour(h) ? BUSINESS_HOURS.weight : 1);
const DAY_WEIGHT = Array.from({ length: 24 }, (_, h) => hourWeight(h)).reduce((a, b) => a + b, 0);

/** Share of a full day's traffic an agent running these hours gets. */
export function runningShare(mask: number): number {
  return hoursOf(mask).reduce((sum, h) => sum + hourWeight(h), 0) / DAY_WEIGHT;
}

/**
 * One row per agent per day, the aggregate of all its traffic: a full day has 10–100
 * conversations (weekends half of weekdays, ±10 % noise), a day the agent ran only part of gets
 * its running hours' share, and a day it was stopped has none (null response time and success
 * rate). The fleet grows slightly over the window (demand 0.98 → 1.02): what a stopped, paused or
 * declining agent does not serve is handed to the healthy agents running that day, so stopping
 * agents never make the fleet's traffic fall; an agent created during the window adds its own. Mean response time 800–3000 ms around the agent's
 * model-typical speed, success rate in its performance band (0.85–0.99), tokens from its
 * conversations (the run's TokenShape). Error-state agents decline over the last week: fewer
 * conversations, slower answers and a success rate falling every day to 0.85.
 */
export function generateDailyMetrics(
  faker: Faker,
  agents: readonly AgentProfile[],
  window: DashboardWindow,
  lifecycles: Lifecycles,
): DailyMetricRow[] {
  const declineDays = Math.min(DECLINE_DAYS, window.days);
  const days = Array.from({ length: window.days }, (_, i) => i);
  // First the draws of every agent-day (in the same order as ever), then the hand-over per day.
  const draws = agents.map((agent, a) =>
    days.map((i) => {
      const growth = 0.98 + (0.04 * i) / Math.max(1, window.days - 1);
      const weekend = isWeekend(window, i) ? 0.5 : 1;
      const declining = agent.row.status === AgentStatus.ERROR && i >= window.days - declineDays;
      const progress = declining ? (i - (window.days - declineDays) + 1) / declineDays : 0;
      const demand = agent.baseConversations * weekend * growth * faker.number.float({ min: 0.9, max: 1.1 });
      return {
        progress,
        demand,
        /** Share of a full day's demand the agent had: the hours it existed (new agents start late). */
        existed: runningShare(lifecycles.existing[a][i]),
        /** Share of its demand the agent serves: its running hours, less any decline. */
        served: runningShare(lifecycles.running[a][i]) * (1 - 0.25 * progress),
        normalSuccess: faker.number.float({ min: agent.successRange[0], max: agent.successRange[1] }),
        response: agent.baseResponseMs * faker.number.float({ min: 0.92, max: 1.08 }) * (1 + 0.6 * progress),
        noise: faker.number.float({ min: 1 - TOKEN_NOISE.day, max: 1 + TOKEN_NOISE.day }),
        id: faker.string.uuid(),
      };
    }),
  );
  const healthy = agents.map((agent) => agent.row.status !== AgentStatus.ERROR);
  const handOver = days.map((i) => {
    let lost = 0;
    let receiving = 0;
    draws.forEach((agentDays, a) => {
      const { demand, existed, served } = agentDays[i];
      lost += demand * (existed - served);
      if (healthy[a]) receiving += demand * served;
    });
    return receiving > 0 ? 1 + lost / receiving : 1;
  });

  const rows: DailyMetricRow[] = [];
  agents.forEach((agent, a) => {
    const [lowSuccess, highSuccess] = agent.successRange;
    const declineFrom = (lowSuccess + highSuccess) / 2;
    for (const i of days) {
      const draw = draws[a][i];
      const share = runningShare(lifecycles.running[a][i]);
      const fullDay = draw.demand * (1 - 0.25 * draw.progress) * (healthy[a] ? handOver[i] : 1);
      const conversations = Math.round(clamp(Math.round(fullDay), 10, 100) * share);
      // The decline is steady, so every day of it is worse than the day before.
      const success = draw.progress
        ? declineFrom - (declineFrom - DECLINE_FLOOR) * draw.progress
        : draw.normalSuccess;
      rows.push({
        runId: agent.row.runId,
        id: draw.id,
        agentId: agent.row.id,
        date: dayDate(window, i),
        conversations,
        avgResponseTimeMs: conversations ? clamp(Math.round(draw.response), 800, 3000) : null,
        successRate: conversations ? Math.round(clamp(success, 0.85, 0.99) * 10_000) / 10_000 : null,
        totalTokensInput: Math.round(conversations * agent.tokensPerConversation.input * draw.noise),
        totalTokensOutput: Math.round(conversations * agent.tokensPerConversation.output * draw.noise),
      });
    }
  });
  return rows;
}
