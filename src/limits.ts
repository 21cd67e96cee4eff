import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, getNamedType, isCompositeType, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * Request limits, in one place. Depth, aliases and directives are checked statically by
 * graphql-armor; tokens by graphql-js's own parser (armor's token plugin turns every syntax error
 * into a 500, graphql-armor#571/#751); the cost limit needs variables (`first: $n`), so it runs
 * once the operation is resolved. Page size itself is capped by validation of `first` (1–500).
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

export function queryLimitRules(): {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  parseOptions: { maxTokens: number };
} {
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth },
    maxAliases: { n: LIMITS.maxAliases },
    maxTokens: { enabled: false },
    maxDirectives: { n: LIMITS.maxDirectives },
    // The schema is public (schema.graphql is committed), so "did you mean" hints only help.
    blockFieldSuggestion: { enabled: false },
    // Replaced by the variable-aware cost limit below.
    costLimit: { enabled: false },
  }).protect();
  return {
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, costLimitPlugin()],
    parseOptions: { maxTokens: LIMITS.maxTokens },
  };
}

function costLimitPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const cost = getComplexity({
            schema,
            query: document,
            variables: request.variables ?? {},
            operationName: request.operationName ?? undefined,
            estimators: [objectCountEstimator],
          });
          if (cost > LIMITS.maxCost) {
            throw new GraphQLError(
              `Query is too expensive: about ${cost} objects, limit ${LIMITS.maxCost}. Ask for smaller pages.`,
              { extensions: { code: 'BAD_USER_INPUT', field: 'first', cost, maxCost: LIMITS.maxCost } },
            );
          }
        },
      };
    },
  };
}
