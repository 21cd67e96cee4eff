/** API key roles (`MOCKFORGE_API_KEYS=key:role`): read by the settings and enforced by src/graphql/auth.ts. */

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
