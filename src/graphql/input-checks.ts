import {
  coerceInputValue,
  GraphQLError,
  isNonNullType,
  Kind,
  typeFromAST,
  visit,
  BREAK,
  type ASTNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { BadUserInputError, ErrorCode, formatInputPath, type FieldProblem } from '../errors';

/** A step of an input path: a field name or a list index. */
type PathPart = string | number;

/**
 * Input checks that name the offending value's path, for literals written in the document and for
 * variables alike, so a client always learns *which* input was wrong (`input.seed`,
 * `filter.from`, `input.apiReviews[0].text`), never just that something was.
 */

function isNode(value: unknown): value is ASTNode {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/**
 * The argument path of a value node, from what a visitor sees (its ancestors do not include its
 * parent): `input.mainUser.name` for a string inside
 * `generateScenario(input: { mainUser: { name: "…" } })`, `$name` inside a variable's default
 * value. Null when the node is not inside an argument.
 */
function argumentPath(ancestors: ReadonlyArray<unknown>, parent: unknown, node: ASTNode): string | null {
  const chain = [...ancestors, parent, node];
  let parts: PathPart[] | null = null;
  for (let i = 0; i < chain.length; i += 1) {
    const item = chain[i];
    if (Array.isArray(item)) {
      // A list value's items: the next element is the item, its index is its position here.
      const parent = chain[i - 1];
      if (parts && isNode(parent) && parent.kind === Kind.LIST && i + 1 < chain.length) {
        parts.push(item.indexOf(chain[i + 1]));
      }
      continue;
    }
    if (!isNode(item)) continue;
    if (item.kind === Kind.ARGUMENT) parts = [item.name.value];
    else if (item.kind === Kind.VARIABLE_DEFINITION) parts = [`$${item.variable.name.value}`];
    else if (item.kind === Kind.OBJECT_FIELD && parts) parts.push(item.name.value);
  }
  return parts ? formatInputPath(parts) : null;
}

/** A literal value's argument path, found by walking the document to the node. */
function pathInDocument(document: DocumentNode, target: ASTNode): string | null {
  let found: string | null = null;
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node !== target) return undefined;
      found = argumentPath(ancestors, parent, node);
      return BREAK;
    },
  });
  return found;
}

const VALUE_KINDS = new Set<string>([
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
  Kind.OBJECT_FIELD,
]);

/**
 * Adds `extensions.field` (the argument path) to validation errors about a literal value, e.g.
 * `from: "2026-02-30T00:00:00Z"` or `stars: "five"`. Runs at the end of validation, before Apollo
 * wraps the errors (it copies their extensions); the error formatter then answers them as
 * BAD_USER_INPUT.
 */
export function nameLiteralValueErrors(document: DocumentNode, errors: ReadonlyArray<GraphQLError>): void {
  for (const error of errors) {
    const node = error.nodes?.[0];
    if (!node || !VALUE_KINDS.has(node.kind) || error.extensions.field !== undefined) continue;
    const field = pathInDocument(document, node);
    if (field) (error.extensions as Record<string, unknown>).field = field;
  }
}

const NUL = '\u0000';
const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';

/** Refuses NUL characters in string literals (Postgres cannot store them in text). */
export const noNulInStringLiterals: ValidationRule = (context) => ({
  StringValue(node, _key, parent, _path, ancestors) {
    if (!node.value.includes(NUL)) return;
    const field = argumentPath(ancestors, parent, node) ?? 'query';
    context.reportError(
      new GraphQLError(`Invalid value for ${field}: ${NUL_MESSAGE}`, {
        nodes: node,
        extensions: { code: ErrorCode.BAD_USER_INPUT, field },
      }),
    );
  },
});

/** `input` + `Field "seed" is not defined…` → the field's own path (graphql-js reports the object's). */
function problemPath(path: readonly PathPart[], error: GraphQLError): PathPart[] {
  const named = /^Field "([^"]+)" (?:is not defined|of required type)/.exec(error.message);
  return named ? [...path, named[1]] : [...path];
}

/** Every string inside a JSON variable value that holds a NUL, with its path. */
function nulStrings(value: unknown, path: PathPart[], out: PathPart[][]): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulStrings(item, [...path, index], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) nulStrings(item, [...path, key], out);
  }
}

/**
 * Coerces the request's variables as execution will, but reports each problem with its path
 * (`input.seed`, `id`), and refuses NUL characters in any string. Null when every variable is
 * valid. Run before anything that reads variables (the cost limit): graphql-js only coerces them
 * inside `execute`, and a plugin that reads them earlier must not turn a client's mistake into a
 * 500.
 */
export function checkVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): BadUserInputError | null {
  const inputs = variables ?? {};
  const problems: FieldProblem[] = [];
  const usedAt = variableArguments(operation);
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    // Named by the argument it feeds (`input.seed` for `generateScenario(input: $i)`), as the
    // resolvers' own checks name it; a variable used nowhere keeps its name.
    const at = usedAt.get(name) ?? name;
    // Validation has already checked that every variable's type exists and is an input type.
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType;
    if (!Object.prototype.hasOwnProperty.call(inputs, name) || inputs[name] === undefined) {
      if (!definition.defaultValue && isNonNullType(type)) {
        problems.push({ field: at, message: `variable $${name} of type ${String(type)} was not provided` });
      }
      continue;
    }
    const value = inputs[name];
    coerceInputValue(value, type, (path, _invalid, error) => {
      problems.push({ field: formatInputPath([at, ...problemPath(path, error)]), message: error.message });
    });
    const withNul: PathPart[][] = [];
    nulStrings(value, [at], withNul);
    for (const path of withNul) problems.push({ field: formatInputPath(path), message: NUL_MESSAGE });
  }
  return problems.length ? BadUserInputError.fromProblems(problems) : null;
}

/** Where each variable is first used: its argument path (`input`, `input.mainUser`). */
function variableArguments(operation: OperationDefinitionNode): Map<string, string> {
  const used = new Map<string, string>();
  visit(operation, {
    Variable(node, _key, parent, _path, ancestors) {
      const path = argumentPath(ancestors, parent, node);
      if (path && !path.startsWith('$') && !used.has(node.name.value)) used.set(node.name.value, path);
    },
  });
  return used;
}
