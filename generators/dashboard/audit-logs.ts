import type { Faker } from '@faker-js/faker';
import type { AuditLog } from '../../entities/audit-log.entity';
import { AgentStatus, AuditAction, MemberRole } from '../../entities/enums';
import { HOUR_MS } from '../random';
import type { AgentProfile } from './agents';
import type { Lifecycles } from './lifecycle';
import { POLICIES, REPORTS } from './catalog';
import type { MemberRow } from './members';
import { DECLINE_DAYS, type DailyMetricRow } from './metrics';
import { BUSINESS_HOURS, dayDate, isBusinessHour, isWeekend, type DashboardWindow } from './window';

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

/** How often each everyday action happens inside a session, relative to the others. */
const ACTION_WEIGHTS: Partial<Record<AuditAction, number>> = {
  [AuditAction.AGENT_UPDATED]: 10,
  [AuditAction.CONFIG_CHANGED]: 10,
  [AuditAction.EXPORT_REQUESTED]: 8,
  [AuditAction.POLICY_UPDATED]: 4,
};

/** Target types, so a target can always be resolved: an agent, a member, or a named resource. */
export const TARGET_TYPES = {
  agent: 'agent',
  member: 'member',
  policy: 'policy',
  report: 'report',
} as const;

const MINUTE = 60_000;

/** What an update of an agent changes, and which config fields a config change touches. */
const AGENT_FIELDS = ['description', 'name', 'tags', 'escalation rules'];
const CONFIG_FIELDS = ['temperature', 'maxTokens', 'systemPrompt'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** Everyday sessions a member has at most per day of the window (the rest of the log is actions). */
const SESSIONS_PER_MEMBER_DAY = 4;

interface Entry {
  at: number;
  action: AuditAction;
  targetType: string;
  targetId: string;
  metadata: Record<string, unknown>;
}

interface Session {
  member: MemberRow;
  start: number;
  /** Null: still signed in at asOf (only when the log's size leaves one entry over). */
  end: number | null;
  entries: Entry[];
  client: { ip: string; userAgent: string };
}

/**
 * The audit log of a window: members work in sessions — `user.login`, actions, `user.logout`,
 * never two sessions of one member at once — doing what their role allows. The fleet's story is
 * all there, each event inside a session of the member who did it: every start and stop (the
 * lifecycles, planned with the traffic), the creation of each agent created during the window
 * (by its creator, at its `createdAt`), the deletion of each deleted agent (by an admin, at its
 * `deletedAt`), and each error agent's trouble (an operator changing its config or updating it
 * during its decline, naming the day's success rate). The rest of the log's exact `count` is
 * everyday sessions (weekdays and business hours busier) and actions inside sessions: updates and
 * config changes of agents that exist at that moment, exports, policy changes.
 */
export function generateAuditLogs(
  faker: Faker,
  runId: string,
  members: readonly MemberRow[],
  agents: readonly AgentProfile[],
  window: DashboardWindow,
  count: number,
  lifecycles: Lifecycles,
  metrics: readonly DailyMetricRow[],
): AuditLogRow[] {
  if (count <= 0) return [];
  const operators = members.filter((m) => ALLOWED_ACTIONS[m.role].includes(AuditAction.AGENT_STOPPED));
  const admins = members.filter((m) => m.role === MemberRole.ADMIN);
  const byId = new Map(members.map((m) => [m.id, m]));
  const agentEntry = (a: number, at: number, action: AuditAction, extra: Record<string, unknown> = {}) => ({
    member: null as MemberRow | null,
    entry: {
      at,
      action,
      targetType: TARGET_TYPES.agent,
      targetId: agents[a].row.id,
      metadata: { agentName: agents[a].row.name, ...extra },
    },
  });

  // 1. The story, each event with the member who did it.
  const story = [
    ...lifecycles.events.map((e) => ({
      ...agentEntry(e.agentIndex, e.at, e.action),
      member: faker.helpers.arrayElement(operators),
    })),
    ...lifecycles.createdAt.flatMap((at, a) =>
      at === null
        ? []
        : [
            {
              ...agentEntry(a, at, AuditAction.AGENT_CREATED, { model: agents[a].row.model }),
              member: byId.get(agents[a].row.createdById)!,
            },
          ],
    ),
    ...lifecycles.deletedAt.flatMap((at, a) =>
      at === null
        ? []
        : [{ ...agentEntry(a, at, AuditAction.AGENT_DELETED), member: faker.helpers.arrayElement(admins) }],
    ),
    ...troubleEntries(faker, agents, window, metrics).map((t) => ({
      ...agentEntry(t.agent, t.at, t.action, t.metadata),
      member: faker.helpers.arrayElement(operators),
    })),
  ].sort((x, y) => x.entry.at - y.entry.at);

  // 2. A session around each story event, joined with the member's previous one when they meet.
  const sessions: Session[] = [];
  const ofMember = new Map<string, Session[]>(members.map((m) => [m.id, []]));
  const newSession = (member: MemberRow, start: number, end: number | null): Session => {
    const session = {
      member,
      start,
      end,
      entries: [],
      client: { ip: faker.internet.ipv4(), userAgent: faker.internet.userAgent() },
    };
    sessions.push(session);
    ofMember.get(member.id)!.push(session);
    return session;
  };
  for (const { member, entry } of story) {
    const start = Math.max(window.start, entry.at - faker.number.int({ min: 2, max: 20 }) * MINUTE);
    const end = Math.min(window.asOf - 1000, entry.at + faker.number.int({ min: 2, max: 30 }) * MINUTE);
    const own = ofMember.get(member!.id)!;
    const last = own[own.length - 1];
    const session = last && start <= last.end! + MINUTE ? last : newSession(member!, start, end);
    session.end = Math.max(session.end!, end);
    session.entries.push(entry);
  }

  // 3. Everyday sessions and actions fill the rest of the log exactly.
  let rest = count - story.length - 2 * sessions.length;
  if (rest < 0) throw new Error(`An audit log of ${count} entries cannot hold the fleet's story`);
  const capacity = members.length * window.days * SESSIONS_PER_MEMBER_DAY;
  let everyday = Math.min(Math.floor(rest / 5), capacity);
  if (sessions.length === 0 && everyday === 0 && rest >= 2) everyday = 1;
  const dayWeights = Array.from({ length: window.days }, (_, i) => ({
    weight: isWeekend(window, i) ? 1 : 2,
    value: i,
  }));
  const hourWeights = HOURS.map((h) => ({ weight: isBusinessHour(h) ? BUSINESS_HOURS.weight : 1, value: h }));
  for (let k = 0; k < everyday; k++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const member = faker.helpers.arrayElement(members);
      const start =
        window.start +
        faker.helpers.weightedArrayElement(dayWeights) * 24 * HOUR_MS +
        faker.helpers.weightedArrayElement(hourWeights) * HOUR_MS +
        faker.number.int({ min: 0, max: 59 }) * MINUTE;
      const end = Math.min(window.asOf - 1000, start + faker.number.int({ min: 10, max: 90 }) * MINUTE);
      if (end - start < 4 * MINUTE) continue;
      const clash = ofMember
        .get(member.id)!
        .some((s) => start <= (s.end ?? window.asOf) + MINUTE && s.start <= end + MINUTE);
      if (clash) continue;
      newSession(member, start, end);
      rest -= 2;
      break;
    }
  }
  if (sessions.length === 0) {
    // One entry and nobody signed in yet: a member signs in shortly before asOf and is still there.
    newSession(
      faker.helpers.arrayElement(members),
      window.asOf - faker.number.int({ min: 2, max: 50 }) * MINUTE,
      null,
    );
    rest -= 1;
  }
  for (; rest > 0; rest--) {
    const session = faker.helpers.arrayElement(sessions);
    session.entries.push(everydayAction(faker, session, agents, lifecycles, window));
  }

  // 4. Sign-ins and sign-outs around each session's entries, everything in time order.
  const all: (Entry & { memberId: string })[] = [];
  for (const s of sessions) {
    const signIn = { ...s.client };
    all.push({
      at: s.start,
      action: AuditAction.USER_LOGIN,
      targetType: TARGET_TYPES.member,
      targetId: s.member.id,
      metadata: signIn,
      memberId: s.member.id,
    });
    for (const e of s.entries) all.push({ ...e, memberId: s.member.id });
    if (s.end !== null)
      all.push({
        at: s.end,
        action: AuditAction.USER_LOGOUT,
        targetType: TARGET_TYPES.member,
        targetId: s.member.id,
        metadata: signIn,
        memberId: s.member.id,
      });
  }
  const rank = (a: AuditAction) => (a === AuditAction.USER_LOGIN ? 0 : a === AuditAction.USER_LOGOUT ? 2 : 1);
  all.sort((x, y) => x.at - y.at || rank(x.action) - rank(y.action));
  return all.map((e) => ({
    runId,
    id: faker.string.uuid(),
    memberId: e.memberId,
    action: e.action,
    occurredAt: new Date(e.at),
    targetType: e.targetType,
    targetId: e.targetId,
    metadata: e.metadata,
  }));
}

/**
 * Each error agent's trouble, as the log shows it: during its decline an operator changes its
 * config or updates it, in business hours, naming the day's success rate.
 */
function troubleEntries(
  faker: Faker,
  agents: readonly AgentProfile[],
  window: DashboardWindow,
  metrics: readonly DailyMetricRow[],
): { agent: number; at: number; action: AuditAction; metadata: Record<string, unknown> }[] {
  const declineDays = Math.min(DECLINE_DAYS, window.days);
  const rate = new Map(metrics.map((m) => [`${m.agentId}|${m.date}`, m.successRate]));
  return agents.flatMap(
    (agent, a): { agent: number; at: number; action: AuditAction; metadata: Record<string, unknown> }[] => {
      if (agent.row.status !== AgentStatus.ERROR) return [];
      const day = window.days - faker.number.int({ min: 1, max: declineDays });
      const at =
        window.start +
        day * 24 * HOUR_MS +
        faker.number.int({ min: 9, max: 16 }) * HOUR_MS +
        faker.number.int({ min: 0, max: 59 }) * MINUTE;
      const successRate = rate.get(`${agent.row.id}|${dayDate(window, day)}`) ?? null;
      return faker.datatype.boolean()
        ? [
            {
              agent: a,
              at,
              action: AuditAction.CONFIG_CHANGED,
              metadata: {
                field: faker.helpers.arrayElement(CONFIG_FIELDS),
                reason: 'success rate falling',
                successRate,
              },
            },
          ]
        : [
            {
              agent: a,
              at,
              action: AuditAction.AGENT_UPDATED,
              metadata: { fields: ['escalation rules'], reason: 'success rate falling', successRate },
            },
          ];
    },
  );
}

/** An everyday action inside a session, at a moment strictly between its sign-in and sign-out. */
function everydayAction(
  faker: Faker,
  session: Session,
  agents: readonly AgentProfile[],
  lifecycles: Lifecycles,
  window: DashboardWindow,
): Entry {
  const end = session.end ?? window.asOf;
  const at = faker.number.int({
    min: session.start + MINUTE,
    max: Math.max(session.start + MINUTE, end - MINUTE),
  });
  let action = faker.helpers.weightedArrayElement(
    ALLOWED_ACTIONS[session.member.role]
      .filter((a) => ACTION_WEIGHTS[a] !== undefined)
      .map((a) => ({ weight: ACTION_WEIGHTS[a]!, value: a })),
  );
  if (action === AuditAction.AGENT_UPDATED || action === AuditAction.CONFIG_CHANGED) {
    // An agent that exists at that moment: created before it, not deleted yet.
    const a = faker.number.int({ max: agents.length - 1 });
    const created = lifecycles.createdAt[a] ?? agents[a].row.createdAt.getTime();
    const deleted = lifecycles.deletedAt[a];
    if (created < at && (deleted === null || at < deleted)) {
      const row = agents[a].row;
      const metadata =
        action === AuditAction.AGENT_UPDATED
          ? { agentName: row.name, fields: faker.helpers.arrayElements(AGENT_FIELDS, { min: 1, max: 2 }) }
          : { agentName: row.name, field: faker.helpers.arrayElement(CONFIG_FIELDS) };
      return { at, action, targetType: TARGET_TYPES.agent, targetId: row.id, metadata };
    }
    action = AuditAction.EXPORT_REQUESTED;
  }
  return action === AuditAction.POLICY_UPDATED
    ? {
        at,
        action,
        targetType: TARGET_TYPES.policy,
        targetId: faker.helpers.arrayElement(POLICIES),
        metadata: {},
      }
    : {
        at,
        action: AuditAction.EXPORT_REQUESTED,
        targetType: TARGET_TYPES.report,
        targetId: faker.helpers.arrayElement(REPORTS),
        metadata: { format: faker.helpers.arrayElement(['csv', 'json']) },
      };
}
