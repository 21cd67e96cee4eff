import type { Faker } from '@faker-js/faker';
import type { Conversation } from '../../entities/conversation.entity';
import { Sentiment } from '../../entities/enums';
import { allocate } from '../allocate';
import { HOUR_MS } from '../random';
import type { AgentProfile } from './agents';
import type { DailyMetricRow } from './metrics';
import { BUSINESS_HOURS, dayStart, isBusinessHour, type DashboardWindow } from './window';

export type ConversationRow = Omit<Conversation, 'run' | 'agent'>;

const SENTIMENT_SHARES: [Sentiment, number][] = [
  [Sentiment.POSITIVE, 60],
  [Sentiment.NEUTRAL, 30],
  [Sentiment.NEGATIVE, 10],
];

const RESOLVED_ODDS: Record<Sentiment, number> = {
  [Sentiment.POSITIVE]: 0.92,
  [Sentiment.NEUTRAL]: 0.7,
  [Sentiment.NEGATIVE]: 0.3,
};

const BUSINESS = Array.from({ length: 24 }, (_, h) => h).filter(isBusinessHour);
const OFF_HOURS = Array.from({ length: 24 }, (_, h) => h).filter((h) => !isBusinessHour(h));

/**
 * The stored conversations are a sample of the traffic the daily metrics count: `count`
 * conversations spread over (day, business/off hours) exactly in proportion to that traffic —
 * so they keep its weekday/weekend ratio and growth — with business hours (09:00–17:00 UTC) at 3×
 * the hourly rate of other hours, and each given to an agent in proportion to its conversations
 * that day. Sentiment is exactly 60/30/10; 8–15 messages (customer support runs longest); response
 * times around the agent's average that day; tokens from its tokens per conversation.
 */
export function generateConversations(
  faker: Faker,
  agents: readonly AgentProfile[],
  metrics: readonly DailyMetricRow[],
  window: DashboardWindow,
  count: number,
): ConversationRow[] {
  const index = new Map(agents.map((a, i) => [a.row.id, i]));
  // traffic[day][agent] from the metrics.
  const traffic = Array.from({ length: window.days }, () => new Float64Array(agents.length));
  const responseMs = Array.from({ length: window.days }, () => new Float64Array(agents.length));
  const dayIndex = new Map(
    Array.from({ length: window.days }, (_, i) => [
      new Date(dayStart(window, i)).toISOString().slice(0, 10),
      i,
    ]),
  );
  for (const m of metrics) {
    const d = dayIndex.get(m.date)!;
    traffic[d][index.get(m.agentId)!] = m.conversations;
    responseMs[d][index.get(m.agentId)!] = m.avgResponseTimeMs;
  }
  const dayTotals = traffic.map((row) => row.reduce((a, b) => a + b, 0));
  // Per day: business hours get 8 h × 3, the other 16 h × 1.
  const businessWeight = BUSINESS.length * BUSINESS_HOURS.weight;
  const cells = allocate(
    count,
    dayTotals.flatMap((total) => [total * businessWeight, total * OFF_HOURS.length]),
  );
  const sentiments = faker.helpers.shuffle(
    allocate(
      count,
      SENTIMENT_SHARES.map(([, share]) => share),
    ).flatMap((n, i) => Array<Sentiment>(n).fill(SENTIMENT_SHARES[i][0])),
  );

  const rows: ConversationRow[] = [];
  for (let d = 0; d < window.days; d++) {
    const cumulative = cumulativeOf(traffic[d]);
    for (const business of [true, false]) {
      const n = cells[d * 2 + (business ? 0 : 1)];
      for (let k = 0; k < n; k++) {
        const a = pickWeighted(
          cumulative,
          faker.number.float({ min: 0, max: cumulative[cumulative.length - 1] }),
        );
        const agent = agents[a];
        const sentiment = sentiments[rows.length];
        const hour = faker.helpers.arrayElement(business ? BUSINESS : OFF_HOURS);
        const messages = faker.number.int({ min: agent.kind.messages[0], max: agent.kind.messages[1] });
        const durationMs = messages * faker.number.int({ min: 20, max: 90 }) * 1000;
        let started = dayStart(window, d) + hour * HOUR_MS + faker.number.int({ min: 0, max: 3599 }) * 1000;
        // Nothing ends after asOf: a late conversation on the last day starts a little earlier.
        if (started + durationMs > window.asOf) started = window.asOf - durationMs - 60_000;
        const averageMessages = (agent.kind.messages[0] + agent.kind.messages[1]) / 2;
        const inputTokens = Math.round(
          (agent.tokensPerConversation * messages * faker.number.float({ min: 0.9, max: 1.1 })) /
            averageMessages,
        );
        rows.push({
          runId: agent.row.runId,
          id: faker.string.uuid(),
          agentId: agent.row.id,
          startedAt: new Date(started),
          endedAt: new Date(started + durationMs),
          messageCount: messages,
          sentiment,
          resolved: faker.number.float({ min: 0, max: 1 }) < RESOLVED_ODDS[sentiment],
          responseTimeMs: Math.max(
            200,
            Math.round(responseMs[d][a] * faker.number.float({ min: 0.8, max: 1.2 })),
          ),
          inputTokens,
          outputTokens: Math.round(inputTokens * faker.number.float({ min: 1.4, max: 1.6 })),
        });
      }
    }
  }
  return rows;
}

function cumulativeOf(weights: Float64Array): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

/** Index of the first cumulative weight ≥ r (binary search). */
function pickWeighted(cumulative: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  // Skip agents without traffic that day (zero weight).
  while (lo < cumulative.length - 1 && cumulative[lo] === (lo > 0 ? cumulative[lo - 1] : 0)) lo++;
  return lo;
}

/** Each agent's latest activity: the end of its last stored conversation (null without any). */
export function lastActivity(conversations: readonly ConversationRow[]): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const c of conversations) {
    const current = latest.get(c.agentId);
    if (!current || c.endedAt > current) latest.set(c.agentId, c.endedAt);
  }
  return latest;
}
