import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from './errors';

export { GraphQLJSONObject as JSONObjectScalar, GraphQLLocalDate as LocalDateScalar } from 'graphql-scalars';

const DECIMAL = /^-?\d+(\.\d+)?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw new GraphQLError('Decimal must be a number or a decimal string such as "19.99"', {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
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
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT) {
      return parseDecimal(ast.value);
    }
    throw new GraphQLError('Decimal must be a number or a decimal string', {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  },
});
