import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { OperationResolutionError } from './errors';
import { checkVariables, nameLiteralValueErrors } from './input-checks';
import { checkCost } from './limits';

/** What the document defines, for the message when `operationName` names none of it. */
function describeOperations(document: DocumentNode): string {
  const names = document.definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => (d.name ? `"${d.name.value}"` : 'an anonymous operation'));
  return names.length ? names.join(', ') : 'no operation';
}

/**
 * Checks that need the resolved operation, in the only safe order: the operation must exist, its
 * variables must coerce (each problem named by path), and only then is its cost computed from
 * them. One plugin, because Apollo runs different plugins' `didResolveOperation` concurrently.
 * Every refusal here answers HTTP 400 before anything executes.
 */
export function requestChecksPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async validationDidStart({ document }) {
          return async (errors) => {
            if (errors?.length) {
              nameLiteralValueErrors(
                document,
                errors.filter((e): e is GraphQLError => e instanceof GraphQLError),
              );
            }
          };
        },
        async didResolveOperation({ request, document, schema, operation }) {
          if (!operation) {
            throw new OperationResolutionError(
              request.operationName
                ? `The document has no operation named "${request.operationName}" (it defines ${describeOperations(document)}). ` +
                  'Send the name of one of them as operationName, or none for a document with a single operation.'
                : `The document defines ${describeOperations(document)}: send operationName to say which to run.`,
            );
          }
          const badVariables = checkVariables(schema, operation, request.variables);
          if (badVariables) throw badVariables;
          const tooExpensive = checkCost(
            schema,
            document,
            request.operationName ?? undefined,
            request.variables ?? {},
          );
          if (tooExpensive) throw tooExpensive;
        },
      };
    },
  };
}
