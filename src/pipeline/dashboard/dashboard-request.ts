import { DashboardPricing } from '../../../entities/enums';
import { allocate } from '../../../generators/allocate';
import { AGENT_STATUS_SPLIT } from '../../../generators/dashboard/agents';
import { minimumAuditLogs, storyOf } from '../../../generators/dashboard/lifecycle';
import { BadUserInputError } from '../../errors';

/** The master seed of the fake-data strategy. */
export const DEFAULT_DASHBOARD_SEED = 12345;

/** Metrics and cost records are one per agent per day: this caps agents × days. */
export const MAX_AGENT_DAYS = 500_000;

type Maybe<T> = T | null | undefined;

/** A generateDashboard input as the API validated it (its GraphQL class satisfies this shape). */
export interface DashboardInput {
  seed?: Maybe<number>;
  asOf?: Maybe<Date>;
  days?: Maybe<number>;
  members?: Maybe<number>;
  agents?: Maybe<number>;
  conversations?: Maybe<number>;
  auditLogs?: Maybe<number>;
  pricing?: Maybe<DashboardPricing>;
}

export interface DashboardRequest {
  seed: number;
  asOf: Date;
  days: number;
  members: number;
  agents: number;
  conversations: number;
  auditLogs: number;
  pricing: DashboardPricing;
  normalizedInput: Record<string, unknown>;
}

/** Resolves defaults and checks what the declarative rules cannot (agents × days). */
export function resolveDashboardRequest(
  input: DashboardInput | null | undefined,
  today: Date,
): DashboardRequest {
  const i = input ?? {};
  const asOf = i.asOf ?? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const request = {
    seed: i.seed ?? DEFAULT_DASHBOARD_SEED,
    asOf,
    days: i.days ?? 30,
    members: i.members ?? 10,
    agents: i.agents ?? 20,
    conversations: i.conversations ?? 500,
    // The document's 200 for 20 agents, and as many per agent for larger fleets.
    auditLogs: i.auditLogs ?? Math.max(200, 10 * (i.agents ?? 20)),
    pricing: i.pricing ?? DashboardPricing.DOCUMENT,
  };
  if (request.agents * request.days > MAX_AGENT_DAYS) {
    throw new BadUserInputError(
      `${request.agents} agents × ${request.days} days = ${request.agents * request.days} daily metrics; the limit is ${MAX_AGENT_DAYS}`,
      'input.agents',
    );
  }
  const statuses = allocate(request.agents, AGENT_STATUS_SPLIT) as [number, number, number];
  const minimum = minimumAuditLogs(statuses);
  if (request.auditLogs > 0 && request.auditLogs < minimum) {
    const story = storyOf(statuses);
    throw new BadUserInputError(
      `An audit log of ${request.auditLogs} entries cannot hold the story of ${request.agents} agents: it needs at least ${minimum} ` +
        `(a sign-in, the event and a sign-out for ${story.created} created, ${story.finalStops} stopped for good, ` +
        `${story.deleted} deleted and ${story.troubled} in trouble), or 0 for no audit log`,
      'input.auditLogs',
    );
  }
  return { ...request, normalizedInput: { ...request, asOf: asOf.toISOString() } };
}
