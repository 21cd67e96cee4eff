import { Field, Float, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';

@ObjectType({ description: 'The on-disk cache of LLM and embedding answers.' })
export class CacheStatsInfo {
  @Field(() => Int)
  entries!: number;

  @Field(() => Int, { description: 'Entries younger than the TTL.' })
  validEntries!: number;

  @Field(() => GraphQLSafeInt)
  sizeBytes!: number;

  @Field(() => Int, { description: 'Lookups answered from the cache since the service started.' })
  hits!: number;

  @Field(() => Int)
  misses!: number;

  @Field(() => Float, { nullable: true, description: 'hits / lookups since start; null before any lookup.' })
  hitRate!: number | null;
}
