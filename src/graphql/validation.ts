import {
  registerDecorator,
  validate,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isNamedType, getNamedType, type GraphQLResolveInfo } from 'graphql';
import { BadUserInputError } from '../errors';

/**
 * type-graphql's `validateFn`: runs class-validator on every argument object and turns failures
 * into one BAD_USER_INPUT error whose `field` is the full dotted path (`filter.runId`,
 * `input.mainUser.age`), so clients can point at the offending input.
 */
export async function validateArgument(
  argValue: unknown,
  argType: unknown,
  resolverData: { info: GraphQLResolveInfo },
): Promise<void> {
  if (argValue === null || typeof argValue !== 'object') return;
  const prefix = argumentName(argType, resolverData.info);
  const values = Array.isArray(argValue) ? argValue : [argValue];
  for (const [index, value] of values.entries()) {
    if (value === null || typeof value !== 'object') continue;
    const errors = await validate(value, { forbidUnknownValues: false, validationError: { target: false } });
    if (errors.length) {
      const path = Array.isArray(argValue) ? `${prefix}[${index}]` : prefix;
      throw BadUserInputError.fromValidation(errors, path);
    }
  }
}

/** The GraphQL argument an input object was passed as; empty for `@Args()` classes (flat args). */
function argumentName(argType: unknown, info: GraphQLResolveInfo): string {
  const typeName = typeof argType === 'function' ? argType.name : undefined;
  const field = info.parentType.getFields()[info.fieldName];
  const arg = field?.args.find((a) => {
    const named = getNamedType(a.type);
    return isNamedType(named) && named.name === typeName;
  });
  return arg?.name ?? '';
}

/** Property must not be earlier than `other` (both optional): for `from`/`to` ranges. */
export function IsNotBefore(other: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName,
      constraints: [other],
      options: { message: `${propertyName} must not be before ${other}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const start = (args.object as Record<string, unknown>)[other];
          if (value === null || value === undefined || start === null || start === undefined) return true;
          // Dates compare by time; LocalDate strings (YYYY-MM-DD) compare as text.
          return comparable(value) >= comparable(start);
        },
      },
    });
}

function comparable(value: unknown): number | string {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : String(value);
}

/** A decimal string (or number) greater than zero and at most `max`: prices. */
export function IsPositiveDecimal(max: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPositiveDecimal',
      target: target.constructor,
      propertyName,
      constraints: [max],
      options: {
        message: `${propertyName} must be a positive amount of at most ${max} with at most 2 decimals`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (value === null || value === undefined) return true;
          const text = String(value);
          return /^\d+(\.\d{1,2})?$/.test(text) && Number(text) > 0 && Number(text) <= max;
        },
      },
    });
}

/** An object whose numeric `fields` must add up to `total` (percent splits). */
export function SumsTo(total: number, fields: string[], options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'sumsTo',
      target: target.constructor,
      propertyName,
      constraints: [total, fields],
      options: { message: `${fields.join(' + ')} must add up to ${total}`, ...options },
      validator: {
        validate(value: unknown) {
          if (value === null || value === undefined || typeof value !== 'object') return true;
          const sum = fields.reduce((acc, f) => acc + Number((value as Record<string, unknown>)[f] ?? 0), 0);
          return sum === total;
        },
      },
    });
}

/** An instant between 2000 and 2100 (as-of dates). */
export function IsAsOfDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAsOfDate',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be between 2000 and 2100`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (value === null || value === undefined) return true;
          if (!(value instanceof Date)) return false;
          const year = value.getUTCFullYear();
          return year >= 2000 && year <= 2100;
        },
      },
    });
}
