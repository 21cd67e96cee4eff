import { IsOptional, IsString, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageRequest, type PageRequest } from '../../src/read/pagination';

/** `first` / `after` of every list, top level or nested. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Page size (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).`,
  })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first!: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string | null;

  /** The page asked for (the cursor is decoded by the list it belongs to). */
  toPage(): PageRequest {
    return pageRequest(this.first, this.after);
  }
}
