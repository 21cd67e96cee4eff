import { Agent } from './agent.entity';
import { AuditLog } from './audit-log.entity';
import { Conversation } from './conversation.entity';
import { CostRecord } from './cost-record.entity';
import { DailyMetric } from './daily-metric.entity';
import { GenerationRun } from './generation-run.entity';
import { Member } from './member.entity';
import { Product } from './product.entity';
import { Review } from './review.entity';
import { Transaction } from './transaction.entity';
import { User } from './user.entity';

export {
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
};

/** Every TypeORM entity, for the data source. */
export const ENTITIES = [
  GenerationRun,
  Product,
  User,
  Transaction,
  Review,
  Member,
  Agent,
  Conversation,
  DailyMetric,
  CostRecord,
  AuditLog,
];
