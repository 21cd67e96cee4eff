import { IsInt, Max, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { IsUUID } from 'class-validator';
import { Product } from '../../entities';

@ObjectType({ description: 'A product and how close its embedding is to another one.' })
export class SimilarProductInfo {
  @Field(() => Product)
  product!: Product;

  @Field(() => Float, { description: 'Cosine similarity of the embeddings (1 = same direction).' })
  score!: number;
}

@ArgsType()
export class SimilarArgs {
  @Field(() => Int, { defaultValue: 5, description: 'How many (1–50).' })
  @IsInt()
  @Min(1)
  @Max(50)
  first!: number;
}

@ArgsType()
export class SimilarProductsArgs extends SimilarArgs {
  @Field(() => ID)
  @IsUUID('all')
  runId!: string;

  @Field(() => ID)
  @IsUUID('all')
  productId!: string;
}
