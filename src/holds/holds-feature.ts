import type { AuthService } from "../auth/auth-service.js";
import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { LifecyclePart } from "../lifecycle.js";
import type { MemberWrites } from "../members/member-writes.js";
import { HoldService } from "./hold-service.js";
import { SignalService } from "./signal-service.js";
import { VerificationService } from "./verification-service.js";

/** Holds (placed by agents or by risk signals) and the verifications that clear them. */
export function createHoldsFeature(deps: {
  data: Pick<DataAccess, "holds" | "signals">;
  auth: AuthService;
  catalog: CatalogService;
  writes: MemberWrites;
  clock: Clock;
}) {
  const { data, auth, catalog, writes, clock } = deps;
  const verifications = new VerificationService({ auth, writes, clock });
  return {
    holds: new HoldService({ store: data.holds, catalog, writes, clock }),
    signals: new SignalService({ store: data.signals, writes, clock }),
    verifications,
    /** Loads the key verification links are signed with (after the auth secrets). */
    verificationKey: { name: "verification key", start: () => verifications.init() } satisfies LifecyclePart,
  };
}
