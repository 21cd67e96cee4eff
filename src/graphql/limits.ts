import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getNamedType,
  isCompositeType,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { BadUserInputError, QueryLimitError, type LimitName } from '../errors';

/**
 * Request limits, in one place. Depth, aliases and directives are checked statically by
 * graphql-armor; tokens by graphql-js's own parser (armor's token plugin turns every syntax error
 * into a 500, graphql-armor#571/#751); the cost limit needs variables (`first: $n`), so it runs
 * once the operation is resolved and its variables are known to be valid (`request-checks.ts`).
 * Page size itself is capped by validation of `first` (1–500).
 */
export const LIMITS = {
  maxDepth: 12,
  maxAliases: 20,
  // Also bounds graphql-js validation, which is quadratic in repeated fields.
  maxTokens: 1500,
  maxDirectives: 20,
  /** Roughly the number of objects a response may contain. */
  maxCost: 100_000,
} as const;

/**
 * Cost ≈ objects returned: every object field costs 1 plus its children, scalars are free, and a
 * list with `first` costs `first` times its children, so nested pages multiply as they do in SQL.
 */
const objectCountEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const first = typeof args.first === 'number' ? args.first : undefined;
  if (first !== undefined) return first * childComplexity;
  return isCompositeType(getNamedType(field.type))
    ? 1 + childComplexity
    : field.name === 'totalCount'
      ? 1
      : 0;
};

/**
 * Armor reports "Syntax Error: Query depth limit of 12 exceeded, found 13." and throws; instead
 * each refusal is reported as a validation error saying which limit was hit, with its own code.
 */
function refuse(limit: LimitName, max: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error:\s*/, '');
    context?.reportError(new QueryLimitError(`Query over the ${limit} limit: ${message}`, limit, max));
  };
}

/** The static limits, as validation rules. */
export function queryLimitRules(): ValidationRule[] {
  const armor = new ApolloArmor({
    maxDepth: {
      n: LIMITS.maxDepth,
      propagateOnRejection: false,
      onReject: [refuse('depth', LIMITS.maxDepth)],
    },
    maxAliases: {
      n: LIMITS.maxAliases,
      propagateOnRejection: false,
      onReject: [refuse('aliases', LIMITS.maxAliases)],
    },
    maxTokens: { enabled: false },
    maxDirectives: {
      n: LIMITS.maxDirectives,
      propagateOnRejection: false,
      onReject: [refuse('directives', LIMITS.maxDirectives)],
    },
    // The schema is public (schema.graphql is committed), so "did you mean" hints only help.
    blockFieldSuggestion: { enabled: false },
    // Replaced by the variable-aware cost limit below.
    costLimit: { enabled: false },
  }).protect();
  return armor.validationRules;
}

/**
 * Refuses an operation whose pages multiply past the cost limit. Call only with variables that
 * have been checked: graphql-query-complexity coerces them itself and throws on bad ones.
 */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): BadUserInputError | null {
  const cost = getComplexity({
    schema,
    query: document,
    variables,
    operationName,
    estimators: [objectCountEstimator],
  });
  if (cost <= LIMITS.maxCost) return null;
  return new BadUserInputError(
    `Query is too expensive: about ${cost} objects, limit ${LIMITS.maxCost}. Ask for smaller pages.`,
    'first',
    undefined,
    { cost, maxCost: LIMITS.maxCost },
  );
}
