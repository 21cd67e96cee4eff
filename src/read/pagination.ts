/** Page size when a list is asked for without `first`. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 500;

/** A page request as the client sent it: how many rows, after which cursor (decoded per list). */
export interface PageRequest {
  first: number;
  after: string | null;
}

/** Turns `first`/`after` arguments into a page request (bounds are enforced by validation). */
export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  return { first: first ?? DEFAULT_PAGE_SIZE, after: after ?? null };
}

/** One fetched page before it becomes a GraphQL connection. */
export interface Page<T> {
  nodes: T[];
  /** Cursor of the last node (null for an empty page): pass it as `after` for the next page. */
  endCursor: string | null;
  hasNextPage: boolean;
  /** The number of rows over all pages; computed only when a client asks for it. */
  totalCount: () => Promise<number>;
}
