import { DAY_MS } from '../random';

/** The metrics window: `days` whole UTC days ending at asOf (asOf itself excluded). */
export interface DashboardWindow {
  asOf: number;
  start: number;
  days: number;
}

export function dashboardWindow(asOf: Date, days: number): DashboardWindow {
  return { asOf: asOf.getTime(), start: asOf.getTime() - days * DAY_MS, days };
}

/** Start of day `i` (0 = first day of the window). */
export function dayStart(window: DashboardWindow, i: number): number {
  return window.start + i * DAY_MS;
}

/** `YYYY-MM-DD` of day `i`. */
export function dayDate(window: DashboardWindow, i: number): string {
  return new Date(dayStart(window, i)).toISOString().slice(0, 10);
}

/** Saturday or Sunday (UTC). */
export function isWeekend(window: DashboardWindow, i: number): boolean {
  const weekday = new Date(dayStart(window, i)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * Business hours are 09:00–17:00 UTC (the dashboard's organisation works in UTC): hours 9–16.
 * Each of them sees 3× the traffic of any other hour.
 */
export const BUSINESS_HOURS = { from: 9, to: 17, weight: 3 } as const;

export function isBusinessHour(hour: number): boolean {
  return hour >= BUSINESS_HOURS.from && hour < BUSINESS_HOURS.to;
}
