import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, Int } from 'type-graphql';

/**
 * A nullable Int input field bounded to [min, max]: the GraphQL field and its validation in one
 * decorator, so every count input is declared (and checked) the same way.
 */
export function OptionalIntField(bounds: readonly [number, number], description?: string): PropertyDecorator {
  const decorators: PropertyDecorator[] = [
    Field(() => Int, { nullable: true, ...(description ? { description } : {}) }),
    IsOptional(),
    IsInt(),
    Min(bounds[0]),
    Max(bounds[1]),
  ];
  // Applied bottom-up, as the same stack written out would be.
  return (target, key) => [...decorators].reverse().forEach((decorate) => decorate(target, key));
}
