import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { AgentStatus } from '../../entities/enums';
import type { SqlParams } from '../../src/read/listing';
import { RunScopedFilter, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for agents.' })
export class AgentFilter extends RunScopedFilter {
  @Field(() => AgentStatus, { nullable: true })
  status?: AgentStatus | null;

  @Field(() => String, { nullable: true, description: 'Model name, e.g. "gpt-4o-mini".' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('status', this.status, params),
      ...equals('model', this.model, params),
    ];
  }
}
