import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DashboardPricing } from '../../entities/enums';
import { IsAsOfDate } from '../../src/graphql/validation';
import { IdempotencyKeyField } from './idempotency-key';
import { OptionalIntField } from './optional-int-field';

/** Bounds of the dashboard's sizes. */
export const DASHBOARD_BOUNDS = {
  days: [1, 180],
  members: [3, 5_000],
  agents: [1, 5_000],
  conversations: [0, 1_000_000],
  auditLogs: [0, 1_000_000],
} as const;

@InputType({ description: 'Sizes and seed of an agent-monitoring dataset; every field has a default.' })
export class GenerateDashboardInput {
  @Field(() => Int, {
    nullable: true,
    description: 'Default 12345: the same seed gives the same rows and ids.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  seed?: number | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Reference date, ISO 8601 ("2026-11-01" = 00:00 UTC); the window ends there. Default: today 00:00 UTC.',
  })
  @IsOptional()
  @IsAsOfDate()
  asOf?: Date | null;

  @OptionalIntField(DASHBOARD_BOUNDS.days, 'Days of metrics before asOf (default 30, 1–180).')
  days?: number | null;

  @OptionalIntField(
    DASHBOARD_BOUNDS.members,
    'Dashboard members (default 10: 2 admins, 4 operators, 4 viewers).',
  )
  members?: number | null;

  @OptionalIntField(
    DASHBOARD_BOUNDS.agents,
    'Agents (default 20); each gets one metric and one cost record per day.',
  )
  agents?: number | null;

  @OptionalIntField(
    DASHBOARD_BOUNDS.conversations,
    'Stored conversations, a sample of the traffic (default 500).',
  )
  conversations?: number | null;

  @OptionalIntField(DASHBOARD_BOUNDS.auditLogs, 'Audit log entries (default 200).')
  auditLogs?: number | null;

  @Field(() => DashboardPricing, {
    nullable: true,
    description:
      'Prices and token shapes of the cost records (default DOCUMENT: the strategy document’s table, output ≈ 1.5× input, $0.50–$50 an agent-day; CURRENT: today’s list prices, chat-shaped tokens).',
  })
  @IsOptional()
  @IsEnum(DashboardPricing)
  pricing?: DashboardPricing | null;
}
