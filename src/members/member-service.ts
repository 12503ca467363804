import type { Clock } from "../clock.js";
import type { Stores } from "../db/stores.js";
import { AppError } from "../errors.js";
import { holdView } from "../holds/hold-views.js";
import { DEFAULT_TIME_ZONE, isValidTimeZone } from "../time/durations.js";
import type { MemberStore, MemberUpsert } from "./member-store.js";
import { grantView, membershipView, memberView, orderView } from "./member-views.js";
import type { MemberWrites } from "./member-writes.js";

export interface MemberDeps {
  store: MemberStore;
  /** The member page reads what the other features hold for the member (reads only). */
  reads: {
    memberships: Pick<Stores["memberships"], "listForMember">;
    grants: Pick<Stores["grants"], "listForMember">;
    orders: Pick<Stores["orders"], "listForMember">;
    holds: Pick<Stores["holds"], "listForMember">;
  };
  writes: MemberWrites;
  clock: Clock;
}

/** Registering members and reading everything about one. */
export class MemberService {
  constructor(private readonly deps: MemberDeps) {}

  async upsert(input: MemberUpsert) {
    if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
      throw new AppError("VALIDATION_FAILED", "Unknown time zone.", [
        { path: "/timezone", message: `"${input.timezone}" is not an IANA time zone` },
      ]);
    }
    const { member, created } = await this.deps.writes.run(async (scope) => {
      const result = await scope.stores.members.upsert(input, DEFAULT_TIME_ZONE);
      const { id: _id, ...fields } = input;
      if (result.created) {
        await scope.record(input.id, "service", {
          kind: "member.registered",
          data: { ...fields, timezone: result.member.timezone },
        });
        return result;
      }
      // A new locale or time zone changes messages and effective times, so decisions may change:
      // the version moves with an event, or local evaluators would keep deciding on the old profile.
      const entitlementsVersion = await scope.entitlementsChanged(
        input.id,
        "member.updated",
        {},
        { source: "service", entries: [{ kind: "member.updated", data: fields }] },
      );
      return { member: { ...result.member, entitlementsVersion }, created: false };
    });
    return { member: memberView(member), created };
  }

  async requireMember(memberId: string) {
    const member = await this.deps.store.get(memberId);
    if (!member)
      throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
        variant: "id",
        params: { memberId: memberId },
      });
    return member;
  }

  /** Members for the console's search box (id prefix or part of the display name). */
  async search(query: string, limit: number) {
    const members = await this.deps.store.search(query.trim(), limit);
    return { members: members.map(memberView) };
  }

  /** The member with memberships, grants, orders and holds (newest first, open and cleared). */
  async detail(memberId: string) {
    const member = await this.requireMember(memberId);
    const [memberships, grants, orders, holds] = await Promise.all([
      this.deps.reads.memberships.listForMember(memberId),
      this.deps.reads.grants.listForMember(memberId),
      this.deps.reads.orders.listForMember(memberId),
      this.deps.reads.holds.listForMember(memberId),
    ]);
    const now = this.deps.clock.now();
    return {
      ...memberView(member),
      memberships: memberships.map((m) => membershipView(m, now)),
      grants: grants.map(grantView),
      orders: orders.map(orderView),
      holds: holds.map(holdView),
    };
  }
}
