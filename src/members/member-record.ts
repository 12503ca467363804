/** A member as the other features read it. */
export interface MemberRecord {
  id: string;
  displayName: string | null;
  locale: string | null;
  timezone: string;
  entitlementsVersion: number;
  createdAt: Date;
  updatedAt: Date;
}
