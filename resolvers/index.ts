import { AgentResolver } from './agent.resolver';
import { AuditLogResolver } from './audit-log.resolver';
import { ConversationResolver } from './conversation.resolver';
import { CostRecordResolver } from './cost-record.resolver';
import { DailyMetricResolver } from './daily-metric.resolver';
import { DashboardResolver } from './dashboard.resolver';
import { LlmResolver } from './llm.resolver';
import { MemberResolver } from './member.resolver';
import { ProductResolver } from './product.resolver';
import { ReviewResolver } from './review.resolver';
import { RunResolver } from './run.resolver';
import { ScenarioResolver } from './scenario.resolver';
import { SurveyContextResolver } from './survey-context.resolver';
import { TransactionResolver } from './transaction.resolver';
import { UserResolver } from './user.resolver';

/** Every resolver class of the schema. */
export const RESOLVERS = [
  RunResolver,
  ScenarioResolver,
  SurveyContextResolver,
  DashboardResolver,
  LlmResolver,
  ProductResolver,
  UserResolver,
  TransactionResolver,
  ReviewResolver,
  MemberResolver,
  AgentResolver,
  ConversationResolver,
  DailyMetricResolver,
  CostRecordResolver,
  AuditLogResolver,
] as const;
