import {
  Agent,
  AuditLog,
  Conversation,
  CostRecord,
  DailyMetric,
  GenerationRun,
  Member,
  Product,
  Review,
  Transaction,
  User,
} from '../entities';

/**
 * The order every list of an entity comes back in, top level or nested. Each ends with the key so
 * pages are deterministic; time series list the newest first, except the daily ones (oldest first,
 * as charts read them).
 */
const LIST_ORDER = new Map<abstract new () => object, string>([
  [GenerationRun, 'created_at DESC, id'],
  [Product, 'is_mock, role, asin, run_id, id'],
  [User, 'is_main_user DESC, name, run_id, id'],
  [Transaction, 'order_date DESC, run_id, id'],
  [Review, 'reviewed_at DESC, run_id, id'],
  [Member, 'role, name, run_id, id'],
  [Agent, 'name, run_id, id'],
  [Conversation, 'started_at DESC, run_id, id'],
  [DailyMetric, 'date, agent_id, run_id, id'],
  [CostRecord, 'date, agent_id, run_id, id'],
  [AuditLog, 'occurred_at DESC, run_id, id'],
]);

export function orderOf(entity: abstract new () => object): string {
  const order = LIST_ORDER.get(entity);
  if (!order) throw new Error(`No list order for ${entity.name}`);
  return order;
}
