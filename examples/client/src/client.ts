import type { TypedDocumentString } from './gql/graphql';

/** One error as MockForge sends it: switch on `extensions.code`, point at `extensions.field`. */
export interface ApiError {
  message: string;
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

/** The request failed: HTTP status and the API's errors (never a stack trace or SQL). */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') || `HTTP ${status}`);
  }
}

/** Variables are required when the operation declares any, and absent when it declares none. */
type VariablesOf<V> = [V] extends [{ [key: string]: never }] ? [] : [variables: V];

/**
 * A minimal typed client over fetch (Node 18+ or a browser). `apiKey` is sent as a bearer token
 * when the server has MOCKFORGE_API_KEYS.
 */
export function createClient(url: string, apiKey?: string) {
  return async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: VariablesOf<TVariables>
  ): Promise<TResult> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const body = (await response.json()) as { data?: TResult | null; errors?: ApiError[] };
    if (!response.ok || body.errors?.length || !body.data) {
      throw new GraphQLRequestError(response.status, body.errors ?? []);
    }
    return body.data;
  };
}
