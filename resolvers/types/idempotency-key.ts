import { IsOptional, Length, Matches } from 'class-validator';
import { Field } from 'type-graphql';

/** Printable ASCII without spaces: keys travel in logs and URLs of clients. */
const KEY = /^[\x21-\x7e]+$/;

/**
 * The `idempotencyKey` of a generate input: the same key with the same input returns the same run
 * (no second generation); with another input it is BAD_USER_INPUT. Keys live as long as their run.
 */
export function IdempotencyKeyField(): PropertyDecorator {
  return (target, property) => {
    Field(() => String, {
      nullable: true,
      description:
        'Makes retries safe: the same key with the same input returns the same run instead of generating again ' +
        '(1–128 printable characters, no spaces).',
    })(target, property);
    IsOptional()(target, property);
    Length(1, 128)(target, property);
    Matches(KEY, { message: 'idempotencyKey must be printable characters without spaces' })(target, property);
  };
}
