import { registerEnumType } from 'type-graphql';

/**
 * Every enum of the data model, registered once with type-graphql. The database enforces the same
 * value sets with CHECK constraints (see migrations/), so both layers reject unknown values.
 */

export enum RunKind {
  SCENARIO = 'SCENARIO',
  DASHBOARD = 'DASHBOARD',
}

/** A run waits QUEUED, then RUNNING, and ends SUCCEEDED, FAILED or CANCELLED (PENDING is no longer used). */
export enum RunStatus {
  PENDING = 'PENDING',
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

/** The statuses a run ends in. */
export const FINISHED_STATUSES: readonly RunStatus[] = [
  RunStatus.SUCCEEDED,
  RunStatus.FAILED,
  RunStatus.CANCELLED,
];

/** The 12 Survey Sensei scenarios (what a client asks for, and the base of every scenario run). */
export enum ScenarioId {
  A1 = 'A1',
  A2 = 'A2',
  A3 = 'A3',
  A4 = 'A4',
  B1 = 'B1',
  B2 = 'B2',
  B3 = 'B3',
  B4 = 'B4',
  C1 = 'C1',
  C2 = 'C2',
  C3 = 'C3',
  C4 = 'C4',
}

/**
 * What a run records as its scenario: one of the 12, or CUSTOM when counts were overridden. A
 * separate GraphQL enum, so the input enum never lists a value the input would refuse.
 */
export const RunScenarioId = { ...ScenarioId, CUSTOM: 'CUSTOM' } as const;
export type RunScenarioId = ScenarioId | typeof RunScenarioId.CUSTOM;

/** A, B or C: warm product + warm user, cold product + warm user, cold + cold. */
export enum ScenarioGroup {
  A = 'A',
  B = 'B',
  C = 'C',
}

/** Where a run's text came from. */
export enum TextProvider {
  OFFLINE = 'offline',
  OPENAI = 'openai',
}

/** What an LLM call asked for. */
export enum LlmCallKind {
  CHAT = 'chat',
  EMBEDDING = 'embedding',
}

/** What became of a planned LLM or embedding call (src/llm/text-writer.ts LlmCallOutcome). */
export enum LlmCallOutcome {
  ANSWERED = 'ANSWERED',
  UNUSABLE = 'UNUSABLE',
  FAILED = 'FAILED',
  SKIPPED_BUDGET = 'SKIPPED_BUDGET',
  SKIPPED_BREAKER = 'SKIPPED_BREAKER',
}

/** The pipeline phase an LLM call or cost belongs to (embeddings of every table are one phase in costs). */
export enum LlmPhase {
  PRODUCTS = 'products',
  USERS = 'users',
  REVIEWS = 'reviews',
  EMBEDDINGS = 'embeddings',
}

/**
 * Product categories as stored (`electronics`), in the order GraphQL lists them; each is described
 * (types, brands, keywords) in generators/ecommerce/categories.ts, which is typed by this list.
 */
export const CATEGORY_NAMES = [
  'electronics',
  'clothing',
  'home',
  'sports',
  'beauty',
  'books',
  'toys',
  'kitchen',
  'furniture',
  'garden',
  'tools',
  'automotive',
  'pets',
  'baby',
  'health',
  'grocery',
  'office',
  'jewelry',
  'shoes',
  'gaming',
  'music',
  'outdoors',
  'fitness',
  'general',
] as const;
export type CategoryName = (typeof CATEGORY_NAMES)[number];

/** GraphQL names the categories in upper case (ELECTRONICS). */
export const ProductCategory: Record<string, string> = Object.fromEntries(
  CATEGORY_NAMES.map((name) => [name.toUpperCase(), name]),
);

export enum ProductRole {
  MAIN = 'MAIN',
  SIMILAR = 'SIMILAR',
  DIVERSE = 'DIVERSE',
}

export enum TransactionStatus {
  DELIVERED = 'DELIVERED',
  RETURNED = 'RETURNED',
  PENDING = 'PENDING',
}

export enum ReviewSource {
  RAPIDAPI = 'RAPIDAPI',
  AGENT_GENERATED = 'AGENT_GENERATED',
  USER_SUBMITTED = 'USER_SUBMITTED',
}

export enum Sentiment {
  POSITIVE = 'POSITIVE',
  NEUTRAL = 'NEUTRAL',
  NEGATIVE = 'NEGATIVE',
}

export enum EngagementLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

export enum MemberRole {
  ADMIN = 'ADMIN',
  OPERATOR = 'OPERATOR',
  VIEWER = 'VIEWER',
}

export enum AgentStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  ERROR = 'ERROR',
}

/** Audit actions, named as the dashboard shows them (`agent.created`); GraphQL names are upper-case. */
export enum AuditAction {
  AGENT_CREATED = 'agent.created',
  AGENT_UPDATED = 'agent.updated',
  AGENT_DELETED = 'agent.deleted',
  AGENT_STARTED = 'agent.started',
  AGENT_STOPPED = 'agent.stopped',
  CONFIG_CHANGED = 'config.changed',
  USER_LOGIN = 'user.login',
  USER_LOGOUT = 'user.logout',
  POLICY_UPDATED = 'policy.updated',
  EXPORT_REQUESTED = 'export.requested',
}

/**
 * Which prices and token shapes a dashboard's cost records follow: the fake-data strategy
 * document's (its price table per 1K tokens, output ≈ 1.5× input) or today's list prices
 * (the pricing module) with the token shapes of real chat traffic.
 */
export enum DashboardPricing {
  DOCUMENT = 'DOCUMENT',
  CURRENT = 'CURRENT',
}

/** How costSummary groups a run's cost records. */
export enum CostGroupBy {
  DAY = 'DAY',
  AGENT = 'AGENT',
  MODEL = 'MODEL',
}

registerEnumType(RunKind, { name: 'RunKind', description: 'What a generation run produced.' });
registerEnumType(RunStatus, { name: 'RunStatus', description: 'Lifecycle of a generation run.' });
registerEnumType(ScenarioId, {
  name: 'ScenarioId',
  description: 'A Survey Sensei scenario (A = warm product + warm user, B = cold/warm, C = cold/cold).',
});
registerEnumType(RunScenarioId, {
  name: 'RunScenarioId',
  description: 'The scenario a run followed: one of the 12, or CUSTOM when counts were overridden.',
});
registerEnumType(ScenarioGroup, {
  name: 'ScenarioGroup',
  description: 'A = warm product + warm user, B = cold product + warm user, C = cold product + cold user.',
});
registerEnumType(DashboardPricing, {
  name: 'DashboardPricing',
  description:
    'DOCUMENT = the strategy document’s price table and token shapes (output ≈ 1.5× input, $0.50–$50 an agent-day); CURRENT = today’s list prices with the token shapes of real chat traffic.',
});
registerEnumType(TextProvider, { name: 'TextProvider', description: 'Where generated text comes from.' });
registerEnumType(LlmCallKind, { name: 'LlmCallKind', description: 'Chat completion or embeddings.' });
registerEnumType(LlmCallOutcome, {
  name: 'LlmCallOutcome',
  description: 'What became of a planned call.',
  valuesConfig: {
    ANSWERED: {
      description: 'Answered and used (its texts checked one by one); from the cache if `cached`.',
    },
    UNUSABLE: { description: 'Answered and billed, but unusable as a whole (the run failed on it).' },
    FAILED: { description: 'No answer after its retries; nothing billed.' },
    SKIPPED_BUDGET: { description: 'Not sent: it could have gone over the run’s budget (maxCostUsd).' },
    SKIPPED_BREAKER: { description: 'Not sent: the circuit breaker was open.' },
  },
});
registerEnumType(LlmPhase, {
  name: 'LlmPhase',
  description: 'Pipeline phase of an LLM call: products, users (personas), reviews, or embeddings.',
});
registerEnumType(ProductCategory, {
  name: 'ProductCategory',
  description: 'Product category; a main product’s is detected from its title unless given.',
});
registerEnumType(ProductRole, { name: 'ProductRole', description: 'How a product relates to the main one.' });
registerEnumType(TransactionStatus, { name: 'TransactionStatus' });
registerEnumType(ReviewSource, { name: 'ReviewSource', description: 'Where a review came from.' });
registerEnumType(Sentiment, { name: 'Sentiment' });
registerEnumType(EngagementLevel, { name: 'EngagementLevel' });
registerEnumType(MemberRole, { name: 'MemberRole', description: 'Role of a dashboard user.' });
registerEnumType(AgentStatus, { name: 'AgentStatus' });
registerEnumType(AuditAction, { name: 'AuditAction', description: 'Audit log action types.' });
registerEnumType(CostGroupBy, { name: 'CostGroupBy', description: 'How costSummary groups cost records.' });

/** SQL list of an enum's values, for CHECK constraints that must match the TypeScript enum. */
export function sqlValues(e: Record<string, string>): string {
  return Object.values(e)
    .map((v) => `'${v}'`)
    .join(', ');
}

/** Why a model's text was refused by the sense checks (src/llm/sense-checks.ts). */
export enum Refusal {
  /** Not in English: another script, or hardly any English function words. */
  LANGUAGE = 'LANGUAGE',
  /** Stops mid-sentence (cut off at the output limit, or truncated). */
  UNFINISHED = 'UNFINISHED',
  /** About something else: names neither the product, its type nor its brand. */
  OFF_TOPIC = 'OFF_TOPIC',
  /** Its words say the opposite of its stars (delight at 1 star, anger at 5). */
  SENTIMENT = 'SENTIMENT',
  /** Talks of a return the shopper did not make, or keeps quiet about one they did. */
  PURCHASE_STATUS = 'PURCHASE_STATUS',
}
