/** A keyset range of member ids: (after, upTo]; upTo null = no upper bound. */
export interface MemberRange {
  after: string;
  upTo: string | null;
}

export const ALL_MEMBERS: MemberRange = { after: "", upTo: null };
