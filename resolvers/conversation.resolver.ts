import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Agent, Conversation, GenerationRun } from '../entities';
import type { Context } from '../src/graphql/context';
import { findRow, listRows, relatedRow, runOf } from './helpers';
import { ConversationConnection } from './types/connections';
import { ConversationFilter } from './types/conversation-filter.input';
import { PageArgs } from './types/page.args';
import { RowRefArgs } from './types/row-ref.args';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => ConversationConnection, { description: 'Conversations, newest first.' })
  conversations(
    @Args() page: PageArgs,
    @Arg('filter', () => ConversationFilter, { nullable: true }) filter: ConversationFilter | null,
    @Ctx() ctx: Context,
  ): Promise<ConversationConnection> {
    return listRows(ctx, Conversation, ConversationConnection, filter, page);
  }

  @Query(() => Conversation, { nullable: true, description: 'One row; NOT_FOUND for an unknown id.' })
  conversation(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<Conversation> {
    return findRow(ctx, Conversation, ref);
  }

  @FieldResolver(() => Agent)
  agent(@Root() row: Conversation, @Ctx() ctx: Context) {
    return relatedRow(ctx, Agent, row.runId, row.agentId);
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() row: Conversation, @Ctx() ctx: Context) {
    return runOf(ctx, row);
  }
}
