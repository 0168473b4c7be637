import { Type, type Static } from '@sinclair/typebox';
import { AccountRoleSchema, type Account } from '@relabel/ports';

/** An account as the API shows it: never a password hash or a token digest. */
export const AccountViewSchema = Type.Object({
  name: Type.String(),
  role: AccountRoleSchema,
  createdAt: Type.String(),
  createdBy: Type.String(),
  deletedAt: Type.Optional(Type.String()),
  deletedBy: Type.Optional(Type.String()),
  hasPassword: Type.Boolean(),
  tokens: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.Optional(Type.String()),
      createdAt: Type.String(),
      createdBy: Type.String(),
      revokedAt: Type.Optional(Type.String()),
      revokedBy: Type.Optional(Type.String()),
    }),
  ),
  events: Type.Array(Type.Object({ at: Type.String(), by: Type.String(), action: Type.String() })),
});
export type AccountView = Static<typeof AccountViewSchema>;

export function accountView(account: Account): AccountView {
  const { passwordHash, tokens, ...rest } = account;
  return { ...rest, hasPassword: passwordHash !== '', tokens: tokens.map(({ hash: _hash, ...token }) => token) };
}
