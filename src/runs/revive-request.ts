import type { DashboardRequest } from '../pipeline/dashboard/dashboard-request';
import type { ScenarioRequest } from '../pipeline/scenario/scenario-request';

/** A run's resolved request back from the JSON its record keeps (dates were stored as text). */
export function reviveScenario(json: Record<string, unknown>): ScenarioRequest {
  return { ...(json as unknown as ScenarioRequest), asOf: new Date(json.asOf as string) };
}

export function reviveDashboard(json: Record<string, unknown>): DashboardRequest {
  return { ...(json as unknown as DashboardRequest), asOf: new Date(json.asOf as string) };
}
