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
 * When each agent ran during the window, and the audit events that say so. Every agent is running
 * when the window opens (agents are created before it). Some pause for maintenance (stopped, then
 * started again hours or days later); inactive agents are stopped for good at some point of the
 * window; error-state agents keep running to the end (declining) and never pause, so their last
 * week is theirs alone. Stops fall at minute 30–59 of an hour and starts at minute 0–29, so a
 * conversation started inside a running hour (at most ~23 minutes long) never spans a stop.
 */
export interface Lifecycles {
  events: LifecycleEvent[];
  /** running[agent][day]: a 24-bit mask of the hours the agent ran from start to end. */
  running: Uint32Array[];
}

const ALL_HOURS = 0xffffff;

/** Share of the audit log that lifecycle events may take (the strategy weighs starts and stops 14 %). */
export const LIFECYCLE_SHARE = 0.14;

export function planLifecycles(
  faker: Faker,
  agents: readonly AgentProfile[],
  window: DashboardWindow,
  auditLogs: number,
): Lifecycles {
  const running = agents.map(() => new Uint32Array(window.days).fill(ALL_HOURS));
  const events: LifecycleEvent[] = [];
  const inactive = agents.flatMap((a, i) => (a.row.status === AgentStatus.INACTIVE ? [i] : []));
  // Inactive agents' final stops come first; pauses take what is left of the lifecycle share.
  const logged = inactive.slice(0, auditLogs);
  const pauseBudget = Math.floor(Math.max(0, Math.round(auditLogs * LIFECYCLE_SHARE) - logged.length) / 2);

  const stopAt = (day: number) =>
    window.start +
    day * DAY_MS +
    faker.number.int({ min: 0, max: 23 }) * HOUR_MS +
    faker.number.int({ min: 30, max: 59 }) * 60_000;
  const startAt = (day: number, hour: number) =>
    window.start + day * DAY_MS + hour * HOUR_MS + faker.number.int({ min: 0, max: 29 }) * 60_000;

  for (const i of inactive) {
    // Stopped for good somewhere after the first fifth of the window and before its last day.
    const first = Math.floor(window.days / 5);
    const day = faker.number.int({
      min: Math.min(first, window.days - 1),
      max: Math.max(first, window.days - 2),
    });
    const at = stopAt(day);
    markStopped(running[i], window, at, window.asOf);
    if (logged.includes(i)) events.push({ agentIndex: i, action: AuditAction.AGENT_STOPPED, at });
  }

  // Maintenance pauses: a stop and a restart 2–48 hours later, before any final stop or decline.
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
  return { events, running };
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
