import { EntitySchema } from 'typeorm';

/** A user's account at an OIDC provider: the provider's issuer and the subject it names the person by. */
export interface UserIdentityRow {
  /** The provider's issuer URL, as its ID tokens carry it in `iss`. */
  issuer: string;
  /** The `sub` claim: stable for one person at one issuer, unlike their email. */
  subject: string;
  userId: string;
  createdAt: Date;
}

export const UserIdentityEntity = new EntitySchema<UserIdentityRow>({
  name: 'UserIdentity',
  tableName: 'user_identities',
  columns: {
    issuer: { type: 'text', primary: true },
    subject: { type: 'text', primary: true },
    userId: { name: 'user_id', type: 'uuid' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
  foreignKeys: [
    { name: 'user_identities_user_id_fkey', target: 'User', columnNames: ['userId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
  ],
  indices: [{ name: 'user_identities_user_id', columns: ['userId'] }],
});
