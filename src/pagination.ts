import { cursorToOffset, offsetToCursor } from 'graphql-relay';
import { BadUserInputError } from './errors';

/** Page size when a list is asked for without `first`. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 500;

/** A validated page request: how many rows, starting after how many. */
export interface PageRequest {
  first: number;
  offset: number;
}

/**
 * Cursors are opaque offsets (graphql-relay's `arrayconnection:N`). Offsets are stable here because
 * a run's rows never change after it is written: only whole runs are added or deleted.
 */
export function decodeCursor(after: string | null | undefined, field = 'after'): number {
  if (after === null || after === undefined) return 0;
  const offset = cursorToOffset(after);
  // Round-tripping rejects anything that is not a cursor we could have issued.
  if (!Number.isSafeInteger(offset) || offset < 0 || offsetToCursor(offset) !== after) {
    throw new BadUserInputError(`Malformed cursor in ${field}`, field);
  }
  return offset + 1;
}

/** Cursor of the row at `index` (0-based, over the whole filtered list). */
export function encodeCursor(index: number): string {
  return offsetToCursor(index);
}

/** Turns `first`/`after` arguments into a page request (bounds are enforced by validation). */
export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  return { first: first ?? DEFAULT_PAGE_SIZE, offset: decodeCursor(after) };
}

/** One fetched page before it becomes a GraphQL connection. */
export interface Page<T> {
  nodes: T[];
  offset: number;
  hasNextPage: boolean;
  /** The number of rows over all pages; computed only when a client asks for it. */
  totalCount: () => Promise<number>;
}
