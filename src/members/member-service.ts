import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import { AppError } from "../errors.js";
import { holdView } from "../holds/hold-views.js";
import { DEFAULT_TIME_ZONE, isValidTimeZone } from "../time/durations.js";
import type { MemberUpsert } from "./member-store.js";
import { grantView, membershipView, memberView, orderView } from "./member-views.js";
import type { MemberWrites } from "./member-writes.js";

/** Registering members and reading everything about one. */
export class MemberService {
  constructor(
    private readonly data: DataAccess,
    private readonly writes: MemberWrites,
    private readonly clock: Clock,
  ) {}

  async upsert(input: MemberUpsert) {
    if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
      throw new AppError("VALIDATION_FAILED", "Unknown time zone.", [
        { path: "/timezone", message: `"${input.timezone}" is not an IANA time zone` },
      ]);
    }
    const { member, created } = await this.writes.run(async (scope) => {
      scope.touch(input.id);
      const result = await scope.stores.members.upsert(input, DEFAULT_TIME_ZONE);
      const { id: _id, ...fields } = input;
      await scope.record(input.id, "service", {
        kind: result.created ? "member.registered" : "member.updated",
        data: {
          ...fields,
          ...(result.created ? { timezone: result.member.timezone } : {}),
        },
      });
      return result;
    });
    return { member: memberView(member), created };
  }

  async requireMember(memberId: string) {
    const member = await this.data.members.get(memberId);
    if (!member) throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`);
    return member;
  }

  /** Members for the console's search box (id prefix or part of the display name). */
  async search(query: string, limit: number) {
    const members = await this.data.members.search(query.trim(), limit);
    return { members: members.map(memberView) };
  }

  /** The member with memberships, grants, orders and holds (newest first, open and cleared). */
  async detail(memberId: string) {
    const member = await this.requireMember(memberId);
    const [memberships, grants, orders, holds] = await Promise.all([
      this.data.memberships.listForMember(memberId),
      this.data.grants.listForMember(memberId),
      this.data.orders.listForMember(memberId),
      this.data.holds.listForMember(memberId),
    ]);
    const now = this.clock.now();
    return {
      ...memberView(member),
      memberships: memberships.map((m) => membershipView(m, now)),
      grants: grants.map(grantView),
      orders: orders.map(orderView),
      holds: holds.map(holdView),
    };
  }
}
