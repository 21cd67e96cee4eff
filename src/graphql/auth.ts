import { createHash, timingSafeEqual } from 'node:crypto';
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage, type AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { Role, roleAllows } from '../roles';

/** One configured key: its digest (the key itself is not kept) and role. */
interface KeyEntry {
  digest: Buffer;
  role: Role;
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Who sent a request: `required` is false when no keys are configured (local use, open). */
export interface Principal {
  required: boolean;
  /** The role of a known key; null for no key or an unknown one. */
  role: Role | null;
  /** Whether a key was sent at all (an unknown key is told apart from a missing one). */
  presented?: boolean;
}

/**
 * The configured API keys (`MOCKFORGE_API_KEYS=key:role,…`). Keys are compared as SHA-256 digests
 * with `timingSafeEqual`, against every configured key without stopping early, so neither a key's
 * contents nor its position leak through timing; they are never logged.
 */
export class ApiKeys {
  private readonly entries: KeyEntry[];

  constructor(keys: ReadonlyArray<{ key: string; role: Role }>) {
    this.entries = keys.map(({ key, role }) => ({ digest: digest(key), role }));
  }

  get configured(): boolean {
    return this.entries.length > 0;
  }

  /** The principal of an `Authorization` header value (`Bearer <key>`). */
  identify(authorization: string | undefined): Principal {
    if (!this.configured) return { required: false, role: null };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { required: true, role: null, presented: Boolean(authorization?.trim()) };
    const presented = digest(match[1]);
    let role: Role | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && role === null) role = entry.role;
    }
    return { required: true, role, presented: true };
  }

  /**
   * Checks a principal against the role an action needs: UNAUTHENTICATED (401) without a known key,
   * FORBIDDEN (403, naming the role) with a key whose role is too low. No-op when keys are off.
   */
  static require(principal: Principal, needed: Role, what: string): void {
    if (!principal.required) return;
    if (principal.role === null) {
      throw new UnauthenticatedError(
        principal.presented
          ? 'The API key is not valid: send "Authorization: Bearer <key>" with a configured key'
          : undefined,
      );
    }
    if (!roleAllows(principal.role, needed)) throw new ForbiddenError(needed, principal.role, what);
  }
}

/** type-graphql's auth checker: `@Authorized(Role.OPERATOR)` on a field needs at least that role. */
export const authChecker: AuthChecker<{ principal: Principal }, Role> = ({ context, info }, roles) => {
  const needed = roles[0] ?? Role.VIEWER;
  ApiKeys.require(context.principal, needed, `${info.parentType.name}.${info.fieldName}`);
  return true;
};

/** Roles by `Type.field`, read from the resolvers' `@Authorized` once the schema is built. */
let fieldRoles: Map<string, Role> | null = null;

function rolesByField(): Map<string, Role> {
  if (fieldRoles) return fieldRoles;
  const storage = getMetadataStorage();
  const roles = new Map<string, Role>();
  const put = (key: string, given: unknown[] | undefined) => {
    if (given) roles.set(key, (given[0] as Role | undefined) ?? Role.VIEWER);
  };
  for (const [type, handlers] of [
    ['Query', storage.queries],
    ['Mutation', storage.mutations],
    ['Subscription', storage.subscriptions],
  ] as const) {
    for (const h of handlers) put(`${type}.${h.schemaName}`, h.roles);
  }
  // Field resolvers' roles are copied onto their object type's fields when the schema is built.
  for (const type of storage.objectTypes) {
    for (const field of type.fields ?? []) put(`${type.name}.${field.schemaName}`, field.roles);
  }
  fieldRoles = roles;
  return roles;
}

/**
 * The highest role any field of an operation needs (fragments included), with the first field
 * that needs it; null when no field needs one (introspection, `__typename`). Deciding this for the
 * whole operation before it runs is what keeps `{ a: viewerField b: adminField }` from running
 * half of it for a key that may not run all of it.
 */
export function operationRole(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): { role: Role; field: string } | null {
  const roles = rolesByField();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  let needed: { role: Role; field: string } | null = null;
  const need = (typeName: string, field: string) => {
    const role = roles.get(`${typeName}.${field}`);
    if (role && (!needed || !roleAllows(needed.role, role))) needed = { role, field: `${typeName}.${field}` };
  };
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const owners = isAbstractType(parent) ? schema.getPossibleTypes(parent) : [parent];
        for (const owner of owners) {
          need(owner.name, name);
          const field = isObjectType(owner) ? owner.getFields()[name] : undefined;
          const type = field && getNamedType(field.type);
          if (selection.selectionSet && type && isCompositeType(type)) walk(selection.selectionSet, type);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) walk(selection.selectionSet, type);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        seen.add(fragment.name.value);
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) walk(fragment.selectionSet, type);
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root);
  return needed;
}
