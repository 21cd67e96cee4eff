import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { ErrorCode } from '../src/errors';

export { GraphQLJSONObject as JSONObjectScalar, GraphQLLocalDate as LocalDateScalar } from 'graphql-scalars';

const DECIMAL = /^-?\d+(\.\d+)?$/;

function parseDecimal(value: unknown, node?: ValueNode): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw new GraphQLError(
      `Decimal must be a number or a decimal string such as "19.99"; got ${JSON.stringify(value)}`,
      {
        nodes: node,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      },
    );
  }
  return text;
}

/**
 * Money and other exact decimals. Serialized as a string ("19.99") so no client ever sees a
 * binary-float rounding of a price; accepted as a string or a JSON number on input.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, serialized as a string such as "19.99".',
  serialize: (value) => parseDecimal(value),
  parseValue: (value) => parseDecimal(value),
  parseLiteral: (ast) =>
    parseDecimal(
      ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT ? ast.value : print(ast),
      ast,
    ),
});

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/i;

/** A date (`2026-11-01` = 00:00 UTC) or an RFC 3339 date-time with its offset; null if neither or impossible. */
export function parseDateTime(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  // Reject what JavaScript would roll over (2026-02-30 → March 2) or wrap (25:00).
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    day.getUTCFullYear() !== Number(y) ||
    day.getUTCMonth() !== Number(mo) - 1 ||
    day.getUTCDate() !== Number(d)
  ) {
    return null;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const date = new Date(m[4] === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `node`: the literal, when parsing one (graphql-js reports a scalar's own error as it is, so it must point at it). */
function toDate(value: unknown, node?: ValueNode): Date {
  const date = typeof value === 'string' ? parseDateTime(value) : null;
  if (!date) {
    throw new GraphQLError(
      `DateTimeISO must be an ISO 8601 date-time with an offset (2026-11-01T09:30:00Z) or a date (2026-11-01, meaning 00:00 UTC); got ${JSON.stringify(value)}`,
      { nodes: node, extensions: { code: ErrorCode.BAD_USER_INPUT } },
    );
  }
  return date;
}

/**
 * Instants, as ISO 8601 UTC strings on output (`2026-11-01T00:00:00.000Z`). On input it also takes
 * a plain date, meaning 00:00 UTC of that day, so `asOf: "2026-11-01"` or `from: "2026-10-01"`
 * read naturally; impossible dates (2026-02-30) are refused rather than rolled over. Replaces
 * type-graphql's default for `Date`, so inputs and outputs share one type.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTimeISO',
  description:
    'An instant as an ISO 8601 date-time, serialized in UTC (2026-11-01T00:00:00.000Z). On input, a date-time with ' +
    'an offset, or a date alone (2026-11-01 = 00:00 UTC).',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339',
  serialize: (value) => (value instanceof Date ? value : toDate(value)).toISOString(),
  parseValue: (value) => toDate(value),
  parseLiteral: (ast) => toDate(ast.kind === Kind.STRING ? ast.value : print(ast), ast),
});
