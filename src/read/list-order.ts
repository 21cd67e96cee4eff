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
} from '../../entities';

/** One column of a list's order. */
export interface SortKey {
  column: string;
  descending: boolean;
}

/** The order of one list: its name (cursors carry it) and its sort keys, ending with the key. */
export interface ListOrder {
  list: string;
  keys: SortKey[];
  /** The ORDER BY clause. */
  sql: string;
}

/**
 * The order every list of an entity comes back in, top level or nested. Each ends with the
 * primary key, so the order is total and a cursor (the last row's sort key) says exactly where
 * the next page starts; time series list the newest first, except the daily ones (oldest first,
 * as charts read them). Ties on the leading column follow its direction.
 */
const LIST_ORDER = new Map<abstract new () => object, string>([
  [GenerationRun, 'created_at DESC, id DESC'],
  [Product, 'is_mock, role, asin, run_id, id'],
  [User, 'is_main_user DESC, name, run_id, id'],
  [Transaction, 'order_date DESC, run_id DESC, id DESC'],
  [Review, 'reviewed_at DESC, run_id DESC, id DESC'],
  [Member, 'role, name, run_id, id'],
  [Agent, 'name, run_id, id'],
  [Conversation, 'started_at DESC, run_id DESC, id DESC'],
  [DailyMetric, 'date, agent_id, run_id, id'],
  [CostRecord, 'date, agent_id, run_id, id'],
  [AuditLog, 'occurred_at DESC, run_id DESC, id DESC'],
]);

function parse(list: string, sql: string): ListOrder {
  const keys = sql.split(',').map((part) => {
    const [column, direction] = part.trim().split(/\s+/);
    return { column, descending: direction === 'DESC' };
  });
  return { list, keys, sql };
}

const ORDERS = new Map([...LIST_ORDER].map(([entity, sql]) => [entity, parse(entity.name, sql)]));

export function orderOf(entity: abstract new () => object): ListOrder {
  const order = ORDERS.get(entity);
  if (!order) throw new Error(`No list order for ${entity.name}`);
  return order;
}
