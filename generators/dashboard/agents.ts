import type { Faker } from '@faker-js/faker';
import type { Agent } from '../../entities/agent.entity';
import { AgentStatus, MemberRole } from '../../entities/enums';
import { allocate } from '../allocate';
import { DAY_MS, toMinute } from '../random';
import {
  AGENT_KINDS,
  AGENT_MODELS,
  BASE_DAILY_CONVERSATIONS,
  meanConversationTokens,
  type AgentKind,
  type TokenShape,
} from './catalog';
import type { MemberRow } from './members';
import type { DashboardWindow } from './window';

export type AgentRow = Omit<Agent, 'run' | 'createdBy'>;

/** How an agent performs: star performers, agents with occasional issues, and the rest. */
export type Performance = 'STAR' | 'SHAKY' | 'NORMAL';

/** Everything the later phases need to know about an agent, beyond its row. */
export interface AgentProfile {
  row: AgentRow;
  kind: AgentKind;
  performance: Performance;
  /** Success rate band of its normal days. */
  successRange: [number, number];
  /** Weekday conversations a day at the start of the window. */
  baseConversations: number;
  /** Mean response time (ms) of its normal days. */
  baseResponseMs: number;
  /** Input and output tokens of one of its conversations of `messages` messages (before noise). */
  conversationTokens: (messages: number) => { input: number; output: number };
  /** Mean input and output tokens of one of its conversations. */
  tokensPerConversation: { input: number; output: number };
}

/** Agents' statuses in percent: active / inactive / error, exactly by largest remainder. */
export const AGENT_STATUS_SPLIT = [70, 20, 10] as const;

const SUCCESS: Record<Performance, [number, number]> = {
  STAR: [0.98, 0.99],
  SHAKY: [0.85, 0.9],
  NORMAL: [0.91, 0.97],
};

/**
 * Agents named after the strategy's list, numbered to stay unique ("Customer Support Bot 42"),
 * with descriptions and system prompts that fit; models split 30/50/20 (gpt-4o / gpt-4o-mini /
 * gpt-3.5-turbo) and statuses 70/20/10 exactly (largest remainder, then shuffled); created within
 * the past year but before the window, by an admin or an operator. Star performers (~20 %) succeed
 * 98–99 % of the time, shaky ones (~20 %) 85–90 %. `lastActiveAt` is set later, from conversations.
 */
export function generateAgents(
  faker: Faker,
  runId: string,
  count: number,
  members: readonly MemberRow[],
  window: DashboardWindow,
  tokens: TokenShape,
): AgentProfile[] {
  const models = faker.helpers.shuffle(
    allocate(
      count,
      AGENT_MODELS.map((m) => m.share),
    ).flatMap((n, i) => Array(n).fill(AGENT_MODELS[i])),
  );
  const [active, inactive] = allocate(count, AGENT_STATUS_SPLIT);
  const statuses = faker.helpers.shuffle(
    Array.from({ length: count }, (_, i) =>
      i < active ? AgentStatus.ACTIVE : i < active + inactive ? AgentStatus.INACTIVE : AgentStatus.ERROR,
    ),
  );
  const [stars, shaky] = allocate(count, [20, 20, 60]);
  const performances = faker.helpers.shuffle(
    Array.from(
      { length: count },
      (_, i): Performance => (i < stars ? 'STAR' : i < stars + shaky ? 'SHAKY' : 'NORMAL'),
    ),
  );
  const creators = members.filter((m) => m.role === MemberRole.ADMIN || m.role === MemberRole.OPERATOR);
  const numbers = uniqueNumbers(faker, count);
  const createdFrom = window.asOf - 365 * DAY_MS;
  const createdTo = window.start - DAY_MS;

  return Array.from({ length: count }, (_, i) => {
    const kind = AGENT_KINDS[i % AGENT_KINDS.length];
    const model = models[i];
    const performance =
      statuses[i] === AgentStatus.ERROR && performances[i] === 'STAR' ? 'NORMAL' : performances[i];
    const temperature = faker.number.float({
      min: kind.temperature[0],
      max: kind.temperature[1],
      fractionDigits: 1,
    });
    const row: AgentRow = {
      runId,
      id: faker.string.uuid(),
      name: `${kind.name} ${numbers[i]}`,
      description: faker.helpers.arrayElement(kind.descriptions),
      model: model.model,
      status: statuses[i],
      config: {
        temperature,
        maxTokens: faker.helpers.arrayElement([512, 1024, 2048, 4096]),
        systemPrompt: kind.systemPrompt,
      },
      createdById: faker.helpers.arrayElement(creators).id,
      createdAt: new Date(
        toMinute(faker.number.int({ min: createdFrom, max: Math.max(createdFrom, createdTo) })),
      ),
      lastActiveAt: null,
      deletedAt: null,
    };
    return {
      row,
      kind,
      performance,
      successRange: SUCCESS[performance],
      baseConversations: faker.number.int({
        min: BASE_DAILY_CONVERSATIONS[0],
        max: BASE_DAILY_CONVERSATIONS[1],
      }),
      baseResponseMs: faker.number.int({ min: model.responseMs[0], max: model.responseMs[1] }),
      conversationTokens: (messages) => tokens.conversation(kind, model, messages),
      tokensPerConversation: meanConversationTokens(tokens, kind, model),
    };
  });
}

/** A distinct number per agent, so names stay unique across the ten kinds. */
function uniqueNumbers(faker: Faker, count: number): number[] {
  const perKind = Math.ceil(count / AGENT_KINDS.length);
  const max = Math.max(99, perKind * 3);
  const used = AGENT_KINDS.map(() => new Set<number>());
  return Array.from({ length: count }, (_, i) => {
    const taken = used[i % AGENT_KINDS.length];
    let n = faker.number.int({ min: 1, max });
    while (taken.has(n)) n = (n % max) + 1;
    taken.add(n);
    return n;
  });
}
