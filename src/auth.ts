import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from './errors';

/** What a key may do; each role includes the ones before it. */
export enum Role {
  /** Queries. */
  VIEWER = 'viewer',
  /** + generate mutations and costEstimate (they spend CPU and LLM budget). */
  OPERATOR = 'operator',
  /** + deleteRun, clearCache and any later admin operation. */
  ADMIN = 'admin',
}

const RANK: Record<Role, number> = { [Role.VIEWER]: 0, [Role.OPERATOR]: 1, [Role.ADMIN]: 2 };

export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

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
    if (!match) return { required: true, role: null };
    const presented = digest(match[1]);
    let role: Role | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && role === null) role = entry.role;
    }
    return { required: true, role };
  }

  /**
   * Checks a principal against the role an action needs: UNAUTHENTICATED (401) without a known key,
   * FORBIDDEN (403, naming the role) with a key whose role is too low. No-op when keys are off.
   */
  static require(principal: Principal, needed: Role, what: string): void {
    if (!principal.required) return;
    if (principal.role === null) throw new UnauthenticatedError();
    if (!roleAllows(principal.role, needed)) throw new ForbiddenError(needed, principal.role, what);
  }
}

/** type-graphql's auth checker: `@Authorized(Role.OPERATOR)` on a field needs at least that role. */
export const authChecker: AuthChecker<{ principal: Principal }, Role> = ({ context, info }, roles) => {
  const needed = roles[0] ?? Role.VIEWER;
  ApiKeys.require(context.principal, needed, `${info.parentType.name}.${info.fieldName}`);
  return true;
};
