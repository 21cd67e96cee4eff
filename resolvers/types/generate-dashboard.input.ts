import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IsAsOfDate } from '../../src/validation';

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

  @Field(() => String, {
    nullable: true,
    description:
      'Reference date, ISO 8601 ("2026-11-01" = 00:00 UTC); the window ends there. Default: today 00:00 UTC.',
  })
  @IsOptional()
  @IsAsOfDate()
  asOf?: string | null;

  @Field(() => Int, { nullable: true, description: 'Days of metrics before asOf (default 30, 1–180).' })
  @IsOptional()
  @IsInt()
  @Min(DASHBOARD_BOUNDS.days[0])
  @Max(DASHBOARD_BOUNDS.days[1])
  days?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Dashboard members (default 10: 2 admins, 4 operators, 4 viewers).',
  })
  @IsOptional()
  @IsInt()
  @Min(DASHBOARD_BOUNDS.members[0])
  @Max(DASHBOARD_BOUNDS.members[1])
  members?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Agents (default 20); each gets one metric and one cost record per day.',
  })
  @IsOptional()
  @IsInt()
  @Min(DASHBOARD_BOUNDS.agents[0])
  @Max(DASHBOARD_BOUNDS.agents[1])
  agents?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Stored conversations, a sample of the traffic (default 500).',
  })
  @IsOptional()
  @IsInt()
  @Min(DASHBOARD_BOUNDS.conversations[0])
  @Max(DASHBOARD_BOUNDS.conversations[1])
  conversations?: number | null;

  @Field(() => Int, { nullable: true, description: 'Audit log entries (default 200).' })
  @IsOptional()
  @IsInt()
  @Min(DASHBOARD_BOUNDS.auditLogs[0])
  @Max(DASHBOARD_BOUNDS.auditLogs[1])
  auditLogs?: number | null;
}
