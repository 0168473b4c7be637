import { Type, type Static } from '@sinclair/typebox';

/** What an account may do; each role includes the ones before it (admin ⊇ operator ⊇ reviewer). */
export const ACCOUNT_ROLES = ['reviewer', 'operator', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Account names: they become reviewer ids in answers (A2I `workerId`) and the "who" of the audit trail. */
export const ACCOUNT_NAME_PATTERN = '^[a-z0-9][a-z0-9_.@-]{0,63}$';

// spelled out (not mapped from ACCOUNT_ROLES) so route type providers infer the literal union
export const AccountRoleSchema = Type.Union([Type.Literal('reviewer'), Type.Literal('operator'), Type.Literal('admin')]);

export const AccountTokenSchema = Type.Object({
  /** shown in listings and used to revoke; not a secret */
  id: Type.String({ pattern: '^[a-f0-9]{12}$' }),
  /** sha256 of the token (hex); the token itself is shown once and never stored */
  hash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
  label: Type.Optional(Type.String({ maxLength: 64 })),
  createdAt: Type.String(),
  createdBy: Type.String(),
  revokedAt: Type.Optional(Type.String()),
  revokedBy: Type.Optional(Type.String()),
});
export type AccountToken = Static<typeof AccountTokenSchema>;

/** One entry of an account's own audit trail: who changed it, how, when. */
export const AccountEventSchema = Type.Object({
  at: Type.String(),
  by: Type.String(),
  action: Type.String({ maxLength: 128 }),
});
export type AccountEvent = Static<typeof AccountEventSchema>;

/**
 * A stored account. A deleted account stays as a tombstone (no password, no tokens, `deletedAt`) so
 * its audit trail survives; creating the name again replaces it.
 */
export const AccountSchema = Type.Object({
  name: Type.String({ pattern: ACCOUNT_NAME_PATTERN }),
  role: AccountRoleSchema,
  /** `scrypt$N$r$p$<salt b64url>$<key b64url>`; empty once deleted */
  passwordHash: Type.String(),
  tokens: Type.Array(AccountTokenSchema),
  createdAt: Type.String(),
  createdBy: Type.String(),
  deletedAt: Type.Optional(Type.String()),
  deletedBy: Type.Optional(Type.String()),
  /** oldest first, capped by the writer */
  events: Type.Array(AccountEventSchema),
});
export type Account = Static<typeof AccountSchema>;

/**
 * Reviewer, operator and admin accounts, kept durably beside the operational state (local: files in
 * the data directory; aws: SSM Parameter Store). Writer: config-watcher (the accounts API); every
 * service reads. Adapters validate what they read, so a corrupt record is refused, never used.
 * Errors: DEPENDENCY_UNAVAILABLE (transient), CONTRACT_INVALID_PAYLOAD (a record of the wrong shape).
 */
export interface AccountStore {
  /** every account, tombstones included, sorted by name */
  list(): Promise<Account[]>;
  get(name: string): Promise<Account | null>;
  /** Atomic replace of one account (readers see the old or the new record, never a mix). */
  put(account: Account): Promise<void>;
}
