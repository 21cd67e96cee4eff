import type { ValueTransformer } from 'typeorm';

/**
 * Postgres returns `numeric` as a string to keep precision. Ratings and rates are small bounded
 * numbers where a JS number is exact enough, so they are read as numbers; money stays a string.
 */
export const numericAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
