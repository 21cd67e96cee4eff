import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { ReviewSource } from '../../entities/enums';
import type { SqlParams } from '../../src/read/listing';
import { IsNotBefore } from '../../src/graphql/validation';
import { ShopperActivityFilter, equals } from './run-scoped-filter.input';

@InputType({
  description: 'Filters for reviews; from/to bound the review time (from inclusive, to exclusive).',
})
export class ReviewFilter extends ShopperActivityFilter {
  protected readonly timeColumn = 'reviewed_at';

  @Field(() => Int, { nullable: true, description: 'Exact star rating (1–5).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  stars?: number | null;

  @Field(() => Int, { nullable: true, description: 'At least this many stars.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  minStars?: number | null;

  @Field(() => Int, { nullable: true, description: 'At most this many stars.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  @IsNotBefore('minStars')
  maxStars?: number | null;

  @Field(() => ReviewSource, { nullable: true })
  source?: ReviewSource | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('stars', this.stars, params),
      ...(this.minStars ? [`stars >= ${params.add(this.minStars)}`] : []),
      ...(this.maxStars ? [`stars <= ${params.add(this.maxStars)}`] : []),
      ...equals('source', this.source, params),
    ];
  }
}
