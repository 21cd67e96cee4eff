import type { Faker } from '@faker-js/faker';
import type { AuditLog } from '../../entities/audit-log.entity';
import { AuditAction, MemberRole } from '../../entities/enums';
import { HOUR_MS } from '../random';
import type { AgentProfile } from './agents';
import type { LifecycleEvent, Lifecycles } from './lifecycle';
import { POLICIES, REPORTS } from './catalog';
import type { MemberRow } from './members';
import { BUSINESS_HOURS, isBusinessHour, isWeekend, type DashboardWindow } from './window';

export type AuditLogRow = Omit<AuditLog, 'run' | 'member'>;

/** What each role may do: viewers only sign in and out and export; only admins delete agents or change policies. */
export const ALLOWED_ACTIONS: Record<MemberRole, AuditAction[]> = {
  [MemberRole.ADMIN]: Object.values(AuditAction),
  [MemberRole.OPERATOR]: [
    AuditAction.AGENT_CREATED,
    AuditAction.AGENT_UPDATED,
    AuditAction.AGENT_STARTED,
    AuditAction.AGENT_STOPPED,
    AuditAction.CONFIG_CHANGED,
    AuditAction.USER_LOGIN,
    AuditAction.USER_LOGOUT,
    AuditAction.EXPORT_REQUESTED,
  ],
  [MemberRole.VIEWER]: [AuditAction.USER_LOGIN, AuditAction.USER_LOGOUT, AuditAction.EXPORT_REQUESTED],
};

/** How often each action happens, relative to the others. */
const ACTION_WEIGHTS: Record<AuditAction, number> = {
  [AuditAction.USER_LOGIN]: 22,
  [AuditAction.USER_LOGOUT]: 18,
  [AuditAction.AGENT_UPDATED]: 10,
  [AuditAction.CONFIG_CHANGED]: 10,
  [AuditAction.EXPORT_REQUESTED]: 8,
  [AuditAction.AGENT_STARTED]: 7,
  [AuditAction.AGENT_STOPPED]: 7,
  [AuditAction.AGENT_CREATED]: 5,
  [AuditAction.AGENT_DELETED]: 4,
  [AuditAction.POLICY_UPDATED]: 4,
};

/** Target types, so a target can always be resolved: a live agent, a member, or a named resource. */
export const TARGET_TYPES = {
  agent: 'agent',
  draft: 'draft_agent',
  member: 'member',
  policy: 'policy',
  report: 'report',
} as const;

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/**
 * Audit events inside the window, weekdays and business hours busier, each by a member doing
 * what their role allows. Starts and stops are the agents' lifecycle events (planned with their
 * traffic, so an agent serves nobody while stopped), logged by an admin or operator at the moment
 * they happened; the other events are drawn by weight. Agents are created before the window, so
 * `agent.created` and `agent.deleted` are about draft agents tried and thrown away during it — a
 * draft is deleted only after it was created. Sign-ins target the member; policies and exports
 * named resources; updates and config changes real agents.
 */
export function generateAuditLogs(
  faker: Faker,
  runId: string,
  members: readonly MemberRow[],
  agents: readonly AgentProfile[],
  window: DashboardWindow,
  count: number,
  lifecycles: Lifecycles,
): AuditLogRow[] {
  const dayWeights = Array.from({ length: window.days }, (_, i) => ({
    weight: isWeekend(window, i) ? 1 : 2,
    value: i,
  }));
  const hourWeights = HOURS.map((h) => ({ weight: isBusinessHour(h) ? BUSINESS_HOURS.weight : 1, value: h }));
  const lifecycle = lifecycles.events.slice(0, count);
  const others = Array.from(
    { length: count - lifecycle.length },
    () =>
      window.start +
      faker.helpers.weightedArrayElement(dayWeights) * 24 * HOUR_MS +
      faker.helpers.weightedArrayElement(hourWeights) * HOUR_MS +
      faker.number.int({ min: 0, max: 3599 }) * 1000,
  );
  const events = [
    ...lifecycle.map((e) => ({ time: e.at, lifecycle: e as LifecycleEvent | null })),
    ...others.map((time) => ({ time, lifecycle: null as LifecycleEvent | null })),
  ].sort((a, b) => a.time - b.time || (a.lifecycle ? 0 : 1) - (b.lifecycle ? 0 : 1));

  const operators = members.filter((m) => ALLOWED_ACTIONS[m.role].includes(AuditAction.AGENT_STOPPED));
  const drafts: { id: string; name: string }[] = [];

  return events.map(({ time, lifecycle: event }) => {
    if (event) {
      const member = faker.helpers.arrayElement(operators);
      const agent = agents[event.agentIndex].row;
      return {
        runId,
        id: faker.string.uuid(),
        memberId: member.id,
        action: event.action,
        occurredAt: new Date(event.at),
        targetType: TARGET_TYPES.agent,
        targetId: agent.id,
        metadata: { agentName: agent.name },
      };
    }
    const member = faker.helpers.arrayElement(members);
    let action = faker.helpers.weightedArrayElement(
      ALLOWED_ACTIONS[member.role]
        .filter((a) => a !== AuditAction.AGENT_STARTED && a !== AuditAction.AGENT_STOPPED)
        .map((a) => ({ weight: ACTION_WEIGHTS[a], value: a })),
    );
    // Fall back where the chosen action has nothing to act on.
    if (action === AuditAction.AGENT_DELETED && drafts.length === 0) action = AuditAction.AGENT_UPDATED;

    const base = { runId, id: faker.string.uuid(), memberId: member.id, action, occurredAt: new Date(time) };
    switch (action) {
      case AuditAction.AGENT_CREATED: {
        const draft = {
          id: faker.string.uuid(),
          name: `Draft ${faker.helpers.arrayElement(agents).kind.name}`,
        };
        drafts.push(draft);
        return {
          ...base,
          targetType: TARGET_TYPES.draft,
          targetId: draft.id,
          metadata: { name: draft.name },
        };
      }
      case AuditAction.AGENT_DELETED: {
        const [draft] = drafts.splice(faker.number.int({ max: drafts.length - 1 }), 1);
        return {
          ...base,
          targetType: TARGET_TYPES.draft,
          targetId: draft.id,
          metadata: { name: draft.name },
        };
      }
      case AuditAction.AGENT_UPDATED: {
        const agent = faker.helpers.arrayElement(agents).row;
        const fields = faker.helpers.arrayElements(['description', 'name', 'tags', 'escalation rules'], {
          min: 1,
          max: 2,
        });
        return {
          ...base,
          targetType: TARGET_TYPES.agent,
          targetId: agent.id,
          metadata: { agentName: agent.name, fields },
        };
      }
      case AuditAction.CONFIG_CHANGED: {
        const agent = faker.helpers.arrayElement(agents).row;
        const field = faker.helpers.arrayElement(['temperature', 'maxTokens', 'systemPrompt']);
        return {
          ...base,
          targetType: TARGET_TYPES.agent,
          targetId: agent.id,
          metadata: { agentName: agent.name, field },
        };
      }
      case AuditAction.POLICY_UPDATED:
        return {
          ...base,
          targetType: TARGET_TYPES.policy,
          targetId: faker.helpers.arrayElement(POLICIES),
          metadata: {},
        };
      case AuditAction.EXPORT_REQUESTED:
        return {
          ...base,
          targetType: TARGET_TYPES.report,
          targetId: faker.helpers.arrayElement(REPORTS),
          metadata: { format: faker.helpers.arrayElement(['csv', 'json']) },
        };
      default:
        return {
          ...base,
          targetType: TARGET_TYPES.member,
          targetId: member.id,
          metadata: { ip: faker.internet.ipv4(), userAgent: faker.internet.userAgent() },
        };
    }
  });
}
