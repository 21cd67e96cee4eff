import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../src/graphql/context';
import { Role } from '../src/roles';
import { surveyContext } from '../src/read/survey-context';
import { RunRowsArgs } from './types/row-ref.args';
import { SurveyContext } from './types/survey-context.type';

@Authorized(Role.VIEWER)
@Resolver()
export class SurveyContextResolver {
  @Query(() => SurveyContext, {
    description:
      'What Survey Sensei’s agents would read for a scenario run (see SurveyContext). NOT_FOUND for an unknown run, ' +
      'CONFLICT for one that has not succeeded, BAD_USER_INPUT for a dashboard run.',
  })
  surveyContext(@Args() { runId }: RunRowsArgs, @Ctx() ctx: Context): Promise<SurveyContext> {
    return surveyContext(ctx.db, runId);
  }
}
