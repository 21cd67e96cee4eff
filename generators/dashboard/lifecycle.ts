import type { Faker } from '@faker-js/faker';
import { AgentStatus, AuditAction } from '../../entities/enums';
import { DAY_MS, HOUR_MS } from '../random';
import type { AgentProfile } from './agents';
import type { DashboardWindow } from './window';

/** One start or stop of an agent, as the audit log records it. */
export interface LifecycleEvent {
  agentIndex: number;
  action: AuditAction.AGENT_STARTED | AuditAction.AGENT_STOPPED;
  at: number;
}

/**
 * When each agent existed and ran during the window, and the audit events that say so. Most
 * agents predate the window and are running when it opens; a few active ones are created during
 * it (their creation is logged, they run from the next hour). Some pause for maintenance
 * (stopped, then started again hours or days later); inactive agents are stopped for good at
 * some point of the window, and half of those are deleted some time later (they stay findable as
 * deleted); error-state agents keep running to the end (declining) and never pause, so their last
 * week is theirs alone. Stops fall at minute 30–59 of an hour and starts at minute 0–29, so a
 * conversation started inside a running hour (at most ~23 minutes long) never spans a stop.
 */
export interface Lifecycles {
  events: LifecycleEvent[];
  /** running[agent][day]: a 24-bit mask of the hours the agent ran from start to end. */
  running: Uint32Array[];
  /** existing[agent][day]: the hours the agent existed (all of them, unless created in the window). */
  existing: Uint32Array[];
  /** When an agent created during the window was created (ms), else null. */
  createdAt: (number | null)[];
  /** When an agent was deleted (ms; after its final stop), else null. */
  deletedAt: (number | null)[];
}

const ALL_HOURS = 0xffffff;

/** Share of the audit log that maintenance pauses may take (a stop and a start each). */
export const LIFECYCLE_SHARE = 0.1;

/** Share of agents created during the window (active ones), when the log can record it. */
export const NEW_AGENT_SHARE = 0.1;

/** Audit entries a logged story event takes at most: the member signs in, acts, signs out. */
export const ENTRIES_PER_STORY_EVENT = 3;

/** What the fleet's story holds for a number of agents: the events every audit log must record. */
export function storyOf(statusCounts: readonly [number, number, number]): {
  created: number;
  finalStops: number;
  deleted: number;
  troubled: number;
} {
  const [active, inactive, error] = statusCounts;
  const agents = active + inactive + error;
  return {
    created: Math.min(active, Math.round(agents * NEW_AGENT_SHARE)),
    finalStops: inactive,
    deleted: Math.floor(inactive / 2),
    troubled: error,
  };
}

/** The smallest non-empty audit log that holds the whole story (an empty log records none of it). */
export function minimumAuditLogs(statusCounts: readonly [number, number, number]): number {
  const story = storyOf(statusCounts);
  return ENTRIES_PER_STORY_EVENT * (story.created + story.finalStops + story.deleted + story.troubled);
}

export function planLifecycles(
  faker: Faker,
  agents: readonly AgentProfile[],
  window: DashboardWindow,
  auditLogs: number,
): Lifecycles {
  const running = agents.map(() => new Uint32Array(window.days).fill(ALL_HOURS));
  const existing = agents.map(() => new Uint32Array(window.days).fill(ALL_HOURS));
  const createdAt: (number | null)[] = agents.map(() => null);
  const deletedAt: (number | null)[] = agents.map(() => null);
  const events: LifecycleEvent[] = [];
  const logged = auditLogs > 0;
  const byStatus = (status: AgentStatus) => agents.flatMap((a, i) => (a.row.status === status ? [i] : []));
  const story = storyOf([
    byStatus(AgentStatus.ACTIVE).length,
    byStatus(AgentStatus.INACTIVE).length,
    byStatus(AgentStatus.ERROR).length,
  ]);

  const stopAt = (day: number) =>
    window.start +
    day * DAY_MS +
    faker.number.int({ min: 0, max: 23 }) * HOUR_MS +
    faker.number.int({ min: 30, max: 59 }) * 60_000;
  const startAt = (day: number, hour: number) =>
    window.start + day * DAY_MS + hour * HOUR_MS + faker.number.int({ min: 0, max: 29 }) * 60_000;

  // New agents: created during the window's first half, in business hours; nothing before that.
  if (logged && window.days >= 3) {
    const fresh = faker.helpers.arrayElements(byStatus(AgentStatus.ACTIVE), story.created);
    for (const i of fresh) {
      const at = startAt(
        faker.number.int({ min: 1, max: Math.floor(window.days / 2) }),
        faker.number.int({ min: 9, max: 16 }),
      );
      createdAt[i] = at;
      markStopped(running[i], window, window.start, at);
      markStopped(existing[i], window, window.start, at);
    }
  }

  const inactive = byStatus(AgentStatus.INACTIVE);
  inactive.forEach((i, k) => {
    // Stopped for good somewhere after the first fifth of the window and before its last day.
    const first = Math.floor(window.days / 5);
    const day = faker.number.int({
      min: Math.min(first, window.days - 1),
      max: Math.max(first, window.days - 2),
    });
    const at = stopAt(day);
    markStopped(running[i], window, at, window.asOf);
    if (!logged) return;
    events.push({ agentIndex: i, action: AuditAction.AGENT_STOPPED, at });
    // The first half of them are deleted afterwards (2 hours to the window's end later).
    if (k < story.deleted) {
      deletedAt[i] = faker.number.int({
        min: at + 2 * HOUR_MS,
        max: Math.max(at + 2 * HOUR_MS, window.asOf - HOUR_MS),
      });
    }
  });

  // Maintenance pauses (a stop and a restart 2–48 hours later, before any final stop or decline),
  // as many as the log holds besides the story.
  const room =
    auditLogs -
    minimumAuditLogs([
      byStatus(AgentStatus.ACTIVE).length,
      inactive.length,
      byStatus(AgentStatus.ERROR).length,
    ]);
  const pauseBudget = Math.max(
    0,
    Math.min(Math.floor((auditLogs * LIFECYCLE_SHARE) / 2), Math.floor(room / (2 * ENTRIES_PER_STORY_EVENT))),
  );
  const pausable = agents.flatMap((a, i) => (a.row.status === AgentStatus.ERROR ? [] : [i]));
  for (let p = 0; p < pauseBudget && pausable.length && window.days >= 3; p++) {
    const i = faker.helpers.arrayElement(pausable);
    const until = lastRunningDay(running[i]);
    if (until < 2) continue;
    const day = faker.number.int({ min: 0, max: until - 2 });
    const stop = stopAt(day);
    const restartHour = Math.floor((stop - window.start) / HOUR_MS) + faker.number.int({ min: 2, max: 48 });
    const restartDay = Math.floor(restartHour / 24);
    if (restartDay > until) continue;
    const restart = startAt(restartDay, restartHour % 24);
    if (!isFree(running[i], window, stop, restart)) continue;
    markStopped(running[i], window, stop, restart);
    events.push({ agentIndex: i, action: AuditAction.AGENT_STOPPED, at: stop });
    events.push({ agentIndex: i, action: AuditAction.AGENT_STARTED, at: restart });
  }
  events.sort((a, b) => a.at - b.at || a.agentIndex - b.agentIndex);
  return { events, running, existing, createdAt, deletedAt };
}

/** Clears the hours touched by [from, to): an hour runs only if the agent ran for all of it and past the next stop margin. */
function markStopped(days: Uint32Array, window: DashboardWindow, from: number, to: number): void {
  const firstHour = Math.floor((from - window.start) / HOUR_MS);
  const lastHour = Math.min(days.length * 24 - 1, Math.floor((to - window.start) / HOUR_MS));
  for (let h = firstHour; h <= lastHour; h++) days[Math.floor(h / 24)] &= ~(1 << h % 24) & ALL_HOURS;
}

/** Whether every hour touched by [from, to) still runs (pauses never overlap). */
function isFree(days: Uint32Array, window: DashboardWindow, from: number, to: number): boolean {
  const firstHour = Math.floor((from - window.start) / HOUR_MS) - 1;
  const lastHour = Math.floor((to - window.start) / HOUR_MS) + 1;
  for (let h = Math.max(0, firstHour); h <= Math.min(days.length * 24 - 1, lastHour); h++) {
    if (!(days[Math.floor(h / 24)] & (1 << h % 24))) return false;
  }
  return true;
}

function lastRunningDay(days: Uint32Array): number {
  for (let d = days.length - 1; d >= 0; d--) if (days[d]) return d;
  return -1;
}

/** Hours of a day mask, as a list. */
export function hoursOf(mask: number): number[] {
  const hours: number[] = [];
  for (let h = 0; h < 24; h++) if (mask & (1 << h)) hours.push(h);
  return hours;
}
