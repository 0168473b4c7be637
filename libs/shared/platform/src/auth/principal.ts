import type { AccountRole } from '@relabel/ports';

/** Who a request acts for: an account, or one of the two bootstrap identities of the env tokens. */
export interface Principal {
  /** the account name, or `bootstrap-admin` / `bootstrap-reviewer` for the env tokens */
  name: string;
  role: AccountRole;
  kind: 'account' | 'bootstrap';
  /** how this request proved it: a bearer token, or a session cookie */
  via: 'token' | 'session';
}

/** Names that stand for the env tokens; no account may take them (they start with `bootstrap-`). */
export const BOOTSTRAP_ADMIN = 'bootstrap-admin';
export const BOOTSTRAP_REVIEWER = 'bootstrap-reviewer';
export const RESERVED_NAME_PREFIX = 'bootstrap-';

const RANK: Record<AccountRole, number> = { reviewer: 0, operator: 1, admin: 2 };

/** admin ⊇ operator ⊇ reviewer */
export function hasRole(principal: Pick<Principal, 'role'>, needed: AccountRole): boolean {
  return RANK[principal.role] >= RANK[needed];
}
