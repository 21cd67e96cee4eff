import type { Faker } from '@faker-js/faker';
import type { Conversation } from '../../entities/conversation.entity';
import { Sentiment } from '../../entities/enums';
import { allocate } from '../allocate';
import { HOUR_MS } from '../random';
import type { AgentProfile } from './agents';
import { TOKEN_NOISE } from './catalog';
import { hoursOf, type Lifecycles } from './lifecycle';
import type { DailyMetricRow } from './metrics';
import { BUSINESS_HOURS, dayDate, dayStart, isBusinessHour, type DashboardWindow } from './window';

export type ConversationRow = Omit<Conversation, 'run' | 'agent'>;

const SENTIMENT_SHARES: [Sentiment, number][] = [
  [Sentiment.NEGATIVE, 10],
  [Sentiment.NEUTRAL, 30],
  [Sentiment.POSITIVE, 60],
];

/** End users a run's conversations come from: about one for every three conversations. */
const CONVERSATIONS_PER_END_USER = 3;

/**
 * The stored conversations are a sample of the traffic the daily metrics count, drawn
 * systematically: `count` evenly spaced points (one random offset) along the traffic laid out day
 * by day, agent by agent, business then other hours — so every agent-day holds its proportional
 * share, conversations × count / all conversations, rounded down or up (never further off), and
 * the sample keeps the weekday/weekend ratio, growth and 3× business-hour rate (09:00–17:00 UTC);
 * each at an hour the agent was running. Sentiment is exactly
 * 60/30/10 and resolution follows the day's success rate: along each agent's conversations the
 * resolved ones are spread so that any day's count is within one of its conversations × success
 * rate, and unresolved conversations are the likeliest to be negative. 8–15 messages (customer
 * support runs longest), tokens from the conversation (the run's TokenShape), response times around the
 * agent's average that day, and an anonymous initiator from a pool of returning end users.
 */
export function generateConversations(
  faker: Faker,
  agents: readonly AgentProfile[],
  metrics: readonly DailyMetricRow[],
  window: DashboardWindow,
  count: number,
  lifecycles: Lifecycles,
): ConversationRow[] {
  const index = new Map(agents.map((a, i) => [a.row.id, i]));
  const dayIndex = new Map(
    Array.from({ length: window.days }, (_, i) => [
      new Date(dayStart(window, i)).toISOString().slice(0, 10),
      i,
    ]),
  );
  const metric = Array.from(
    { length: window.days },
    () => new Array<DailyMetricRow | undefined>(agents.length),
  );
  for (const m of metrics) metric[dayIndex.get(m.date)!][index.get(m.agentId)!] = m;

  // weights[day][cell][agent]: the agent's conversations that day in business (0) or other (1) hours.
  const weights = Array.from({ length: window.days }, (_, d) =>
    [true, false].map((business) =>
      Float64Array.from(agents, (_, a) => {
        const hours = hoursOf(lifecycles.running[a][d]);
        const weight = (h: number) => (isBusinessHour(h) ? BUSINESS_HOURS.weight : 1);
        const all = hours.reduce((sum, h) => sum + weight(h), 0);
        const inCell = hours
          .filter((h) => isBusinessHour(h) === business)
          .reduce((sum, h) => sum + weight(h), 0);
        return all ? ((metric[d][a]?.conversations ?? 0) * inCell) / all : 0;
      }),
    ),
  );
  const endUsers = handles(faker, Math.max(1, Math.round(count / CONVERSATIONS_PER_END_USER)));

  const rows: ConversationRow[] = [];
  const owner: number[] = [];
  for (const { d, a, business } of systematicSample(faker, weights, count)) {
    const agent = agents[a];
    const hour = faker.helpers.arrayElement(
      hoursOf(lifecycles.running[a][d]).filter((h) => isBusinessHour(h) === business),
    );
    const messages = faker.number.int({ min: agent.kind.messages[0], max: agent.kind.messages[1] });
    const durationMs = messages * faker.number.int({ min: 20, max: 90 }) * 1000;
    let started = dayStart(window, d) + hour * HOUR_MS + faker.number.int({ min: 0, max: 3599 }) * 1000;
    // Nothing ends after asOf: a late conversation on the last day starts a little earlier.
    if (started + durationMs > window.asOf) started = window.asOf - durationMs - 60_000;
    const tokens = agent.conversationTokens(messages);
    const noise = faker.number.float({
      min: 1 - TOKEN_NOISE.conversation,
      max: 1 + TOKEN_NOISE.conversation,
    });
    // Skewed towards the first handles: some end users come back often.
    const initiator = endUsers[Math.floor(endUsers.length * faker.number.float({ min: 0, max: 1 }) ** 2)];
    rows.push({
      runId: agent.row.runId,
      id: faker.string.uuid(),
      agentId: agent.row.id,
      startedAt: new Date(started),
      endedAt: new Date(started + durationMs),
      initiator,
      messageCount: messages,
      sentiment: Sentiment.NEUTRAL,
      resolved: false,
      responseTimeMs: Math.max(
        200,
        Math.round(
          (metric[d][a]?.avgResponseTimeMs ?? agent.baseResponseMs) *
            faker.number.float({ min: 0.8, max: 1.2 }),
        ),
      ),
      inputTokens: Math.round(tokens.input * noise),
      outputTokens: Math.round(tokens.output * noise),
    });
    owner.push(a);
  }
  resolveBySuccessRate(faker, rows, owner, agents.length, (row, a) => {
    const d = dayIndex.get(row.startedAt.toISOString().slice(0, 10))!;
    return metric[d][a]?.successRate ?? 0;
  });
  assignSentiments(faker, rows);
  return rows;
}

/**
 * Along each agent's conversations in time order, the k-th is resolved when the running sum of
 * the success rates (plus a random offset) crosses an integer: over any stretch — any day — the
 * resolved count is within one of the sum of its success rates.
 */
function resolveBySuccessRate(
  faker: Faker,
  rows: ConversationRow[],
  owner: readonly number[],
  agentCount: number,
  successOf: (row: ConversationRow, agent: number) => number,
): void {
  const sums = Float64Array.from({ length: agentCount }, () => faker.number.float({ min: 0, max: 1 }));
  const order = rows
    .map((_, i) => i)
    .sort((x, y) => rows[x].startedAt.getTime() - rows[y].startedAt.getTime() || x - y);
  for (const i of order) {
    const a = owner[i];
    const before = Math.floor(sums[a]);
    sums[a] += successOf(rows[i], a);
    rows[i].resolved = Math.floor(sums[a]) > before;
  }
}

/** Exactly 60/30/10, the unresolved conversations first in line to be the negative ones. */
function assignSentiments(faker: Faker, rows: ConversationRow[]): void {
  const keys = rows.map((row) => (row.resolved ? 1 : 0.2) * faker.number.float({ min: 0, max: 1 }));
  const order = rows.map((_, i) => i).sort((x, y) => keys[x] - keys[y] || x - y);
  const counts = allocate(
    rows.length,
    SENTIMENT_SHARES.map(([, share]) => share),
  );
  let next = 0;
  counts.forEach((n, s) => {
    for (let k = 0; k < n; k++) rows[order[next++]].sentiment = SENTIMENT_SHARES[s][0];
  });
}

/** `n` distinct anonymous handles (`user-3fa9c2`). */
function handles(faker: Faker, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n)
    out.add(`user-${faker.string.hexadecimal({ length: 6, casing: 'lower', prefix: '' })}`);
  return [...out];
}

/**
 * `count` conversations drawn from `weights[day][business ? 0 : 1][agent]` in two systematic
 * steps. First agent-days: points spaced total/count apart from one random offset along the
 * agent-days in day → agent order, so any run of them — an agent-day, a day — gets its exact
 * share rounded down or up. Then business or other hours: the drawn conversations in the same
 * order, each with its agent-day's business share, and points one apart along those shares — so
 * the business-hour conversations are their exact expected number rounded, spread evenly.
 */
function* systematicSample(
  faker: Faker,
  weights: readonly (readonly Float64Array[])[],
  count: number,
): Generator<{ d: number; a: number; business: boolean }> {
  const agentDays: { d: number; a: number; w: number; business: number }[] = [];
  weights.forEach((day, d) =>
    day[0].forEach((business, a) => {
      const w = business + day[1][a];
      if (w > 0) agentDays.push({ d, a, w, business: business / w });
    }),
  );
  const counts = systematic(
    faker,
    agentDays.map((x) => x.w),
    count,
  );
  let point = faker.number.float({ min: 0, max: 1 });
  let cumulative = 0;
  for (const [i, { d, a, business }] of agentDays.entries()) {
    for (let k = 0; k < counts[i]; k++) {
      cumulative += business;
      const inBusiness = point < cumulative;
      if (inBusiness) point += 1;
      yield { d, a, business: inBusiness };
    }
  }
}

/**
 * `count` points spaced total/count apart from one random offset, laid along `weights` in order:
 * how many fall on each weight. Any run of consecutive weights gets its exact share of `count`
 * rounded down or up.
 */
function systematic(faker: Faker, weights: readonly number[], count: number): number[] {
  const counts = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  if (count <= 0 || total <= 0) return counts;
  const step = total / count;
  let point = faker.number.float({ min: 0, max: step });
  let end = 0;
  let drawn = 0;
  weights.forEach((w, i) => {
    end += w;
    for (; drawn < count && point < end; drawn++, point += step) counts[i]++;
  });
  // Rounding can leave the last point a hair past the end: it belongs to the last weight.
  const last = weights.findLastIndex((w) => w > 0);
  counts[last] += count - drawn;
  return counts;
}

/**
 * Each agent's latest activity, from its traffic: a moment in the last running hour of its last
 * day with conversations (the daily metrics count them all, the stored conversations are a sample
 * of them), never before the end of its latest stored conversation. No traffic, no activity.
 */
export function lastActivity(
  faker: Faker,
  agents: readonly AgentProfile[],
  metrics: readonly DailyMetricRow[],
  window: DashboardWindow,
  lifecycles: Lifecycles,
  conversations: readonly ConversationRow[],
): Map<string, Date> {
  const lastDay = new Map<string, number>();
  const dayOf = new Map(Array.from({ length: window.days }, (_, i) => [dayDate(window, i), i]));
  for (const m of metrics) {
    const d = dayOf.get(m.date)!;
    if (m.conversations > 0 && d > (lastDay.get(m.agentId) ?? -1)) lastDay.set(m.agentId, d);
  }
  const latestEnd = new Map<string, number>();
  for (const c of conversations) {
    latestEnd.set(c.agentId, Math.max(latestEnd.get(c.agentId) ?? 0, c.endedAt.getTime()));
  }
  const latest = new Map<string, Date>();
  agents.forEach((agent, a) => {
    const d = lastDay.get(agent.row.id);
    if (d === undefined) return;
    const hour = Math.max(...hoursOf(lifecycles.running[a][d]));
    const drawn = dayStart(window, d) + hour * HOUR_MS + faker.number.int({ min: 0, max: 59 }) * 60_000;
    latest.set(agent.row.id, new Date(Math.max(drawn, latestEnd.get(agent.row.id) ?? 0)));
  });
  return latest;
}
