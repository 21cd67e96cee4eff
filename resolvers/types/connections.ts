import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import {
  Agent,
  AuditLog,
  Conversation,
  CostRecord,
  DailyMetric,
  GenerationRun,
  Member,
  Product,
  Review,
  Transaction,
  User,
} from '../../entities';
import type { Page } from '../../src/read/pagination';

@ObjectType({ description: 'Where a page ends and whether more rows follow.' })
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

/** A page of some entity: `{ nodes totalCount pageInfo { endCursor hasNextPage } }`. */
function Connection<T extends object>(Node: ClassType<T>) {
  // Registered under its own name so type-graphql can inherit its fields; never emitted, because
  // nothing in the schema refers to it directly.
  @ObjectType(`${Node.name}ConnectionBase`)
  abstract class ConnectionClass {
    page!: Page<T>;

    @Field(() => [Node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Rows over all pages (counted only when selected).' })
    totalCount(): Promise<number> {
      return this.page.totalCount();
    }
  }
  return ConnectionClass;
}

/** What every generated connection class holds. */
export type ConnectionInstance<T> = { page: Page<T>; nodes: T[]; pageInfo: PageInfo };

/** Wraps a fetched page into the given connection type. */
export function toConnection<T, C extends ConnectionInstance<T>>(Type: new () => C, page: Page<T>): C {
  const connection = new Type();
  connection.page = page;
  connection.nodes = page.nodes;
  connection.pageInfo = {
    endCursor: page.endCursor,
    hasNextPage: page.hasNextPage,
  };
  return connection;
}

@ObjectType()
export class GenerationRunConnection extends Connection(GenerationRun) {}
@ObjectType()
export class ProductConnection extends Connection(Product) {}
@ObjectType()
export class UserConnection extends Connection(User) {}
@ObjectType()
export class TransactionConnection extends Connection(Transaction) {}
@ObjectType()
export class ReviewConnection extends Connection(Review) {}
@ObjectType()
export class MemberConnection extends Connection(Member) {}
@ObjectType()
export class AgentConnection extends Connection(Agent) {}
@ObjectType()
export class ConversationConnection extends Connection(Conversation) {}
@ObjectType()
export class DailyMetricConnection extends Connection(DailyMetric) {}
@ObjectType()
export class CostRecordConnection extends Connection(CostRecord) {}
@ObjectType()
export class AuditLogConnection extends Connection(AuditLog) {}
