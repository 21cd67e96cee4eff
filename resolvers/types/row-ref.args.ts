import { IsUUID } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';

/** Arguments of by-id queries for generated rows: ids repeat across runs of the same input. */
@ArgsType()
export class RowRefArgs {
  @Field(() => ID, { description: 'The run the row belongs to.' })
  @IsUUID('all')
  runId!: string;

  @Field(() => ID)
  @IsUUID('all')
  id!: string;
}

/** Arguments of queries that take one run id. */
@ArgsType()
export class RunIdArgs {
  @Field(() => ID)
  @IsUUID('all')
  id!: string;
}

/** Arguments of queries about one run's rows (surveyContext). */
@ArgsType()
export class RunRowsArgs {
  @Field(() => ID, { description: 'A succeeded scenario run.' })
  @IsUUID('all')
  runId!: string;
}
