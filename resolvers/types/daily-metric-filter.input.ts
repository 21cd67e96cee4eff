import { InputType } from 'type-graphql';
import { AgentDaysFilter } from './run-scoped-filter.input';

@InputType({ description: 'Filters for daily metrics; from/to are inclusive dates.' })
export class DailyMetricFilter extends AgentDaysFilter {}
