/** What every malformed-input route table shares: the member acted on, and the shape of a route entry. */

/** The member every malformed-input suite acts on (or as, with her member token). */
export const ALICE = "mi-alice";
/** A well-formed hold id no hold has: the routes refuse bad input before they look it up. */
export const NO_HOLD = "hold_mi_missing";

export interface BodyEndpoint {
  name: string;
  method: "POST" | "PUT";
  path: string;
  /** "member": a member token for ALICE; otherwise the admin key (admin may do everything). */
  as?: "member";
  /** A body the route accepts; none on the bodiless claim routes. */
  valid?: () => Record<string, unknown>;
  /** A body lacking a required field, when the body has one. */
  missing?: Record<string, unknown>;
  wrongTypes?: Record<string, unknown>[];
  /** The body with `s` in each id-like field (ids and codes must match a strict pattern). */
  inject?: (s: string) => Record<string, unknown>[];
}
