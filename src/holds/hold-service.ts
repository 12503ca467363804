import type { Principal } from "../auth/auth-service.js";
import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import { AppError, type ErrorDetail } from "../errors.js";
import type { MemberWrites } from "../members/member-writes.js";
import type { HoldCursor, HoldStore } from "./hold-store.js";
import type { ClearMethod, HoldReason, HoldRecord, HoldStatus } from "./hold-types.js";
import { holdEventView, holdView, memberHoldView } from "./hold-views.js";
import { clearHold, type HoldActor, placeHold } from "./hold-writes.js";

/** An API key's actor in the audit trail: `admin` for the admin key, else `<role>:<key id>`. */
export function actorOf(principal: Principal | null): HoldActor {
  if (principal === null) throw new AppError("FORBIDDEN", "This route needs credentials.");
  if (principal.kind === "member") return { id: `member:${principal.memberId}`, source: "member" };
  if (principal.kind === "admin") {
    return { id: principal.keyId === "admin" ? "admin" : `admin:${principal.keyId}`, source: "admin" };
  }
  return { id: `${principal.kind}:${principal.keyId}`, source: principal.kind };
}

export interface PlaceHoldBody {
  reason: HoldReason;
  benefits?: string[];
  note?: string;
  clearMethod?: ClearMethod;
}

export interface HoldListQuery {
  status?: HoldStatus;
  memberId?: string;
  limit?: number;
  cursor?: string;
}

const DEFAULT_PAGE = 50;

function encodeCursor(hold: HoldRecord): string {
  return Buffer.from(JSON.stringify([hold.placedAt.toISOString(), hold.id])).toString("base64url");
}

function decodeCursor(cursor: string): HoldCursor {
  try {
    const [placedAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const at = new Date(placedAt);
    if (typeof placedAt === "string" && typeof id === "string" && !Number.isNaN(at.getTime())) {
      return { placedAt: at, id };
    }
  } catch {
    // fall through: not a cursor this server made
  }
  throw new AppError("VALIDATION_FAILED", "The cursor is not one this API returned.", [
    { path: "/cursor", message: "is not a cursor from a previous page", in: "querystring" },
  ]);
}

/** Holds as admins and support work them: place, list, read with the audit trail, clear. */
export class HoldService {
  constructor(
    private readonly deps: { store: HoldStore; catalog: CatalogService; writes: MemberWrites; clock: Clock },
  ) {}

  /** An agent places a hold (201); 409 CONFLICT when the member has an open hold of that reason. */
  async place(memberId: string, body: PlaceHoldBody, actor: HoldActor) {
    const benefits = body.benefits === undefined ? null : [...new Set(body.benefits)];
    if (benefits !== null) {
      const known = this.deps.catalog.require().benefits;
      const problems: ErrorDetail[] = [];
      body.benefits?.forEach((code, i) => {
        if (!known.has(code)) problems.push({ path: `/benefits/${i}`, message: `unknown benefit "${code}"` });
      });
      if (problems.length > 0) throw new AppError("VALIDATION_FAILED", "Unknown benefits.", problems);
    }
    const hold = await this.deps.writes.run(async (scope) => {
      if (!(await scope.stores.members.lock(memberId))) {
        throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
          variant: "id",
          params: { memberId: memberId },
        });
      }
      const placed = await placeHold(
        scope,
        { memberId, reason: body.reason, benefits, clearMethod: body.clearMethod, note: body.note ?? null },
        actor,
        this.deps.clock.now(),
      );
      if (placed !== null) return placed;
      const open = (await scope.stores.holds.listForMember(memberId)).find(
        (h) => h.status === "open" && h.reason === body.reason,
      );
      throw new AppError(
        "CONFLICT",
        `Member ${memberId} already has an open ${body.reason} hold.`,
        [{ path: "/reason", message: "an open hold of this reason exists", holdId: open?.id }],
        { variant: "hold_open" },
      );
    });
    return holdView(hold);
  }

  /** An agent's decision clears the hold, whatever its clear method. */
  async clear(holdId: string, note: string, actor: HoldActor) {
    const found = await this.require(holdId);
    const result = await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(found.memberId);
      return clearHold(scope, found, "agent", note, actor, this.deps.clock.now());
    });
    if (result === null) throw new AppError("HOLD_NOT_OPEN", `Hold ${holdId} was cleared already.`);
    return { ...holdView(result.hold), entitlementsVersion: result.entitlementsVersion };
  }

  /** Newest first; `nextCursor` fetches the next page, null on the last. */
  async list(query: HoldListQuery) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const holds = await this.deps.store.list({
      status: query.status,
      memberId: query.memberId,
      limit: limit + 1,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    const page = holds.slice(0, limit);
    return {
      holds: page.map(holdView),
      nextCursor: holds.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /** The hold with its audit trail, oldest step first. */
  async get(holdId: string) {
    const hold = await this.require(holdId);
    const events = await this.deps.store.events(holdId);
    return { ...holdView(hold), events: events.map(holdEventView) };
  }

  /** Every hold of a member, newest first, as support sees them. */
  async forMember(memberId: string) {
    return (await this.deps.store.listForMember(memberId)).map(holdView);
  }

  /** The member's own holds, newest first, without the evidence. */
  async mine(memberId: string) {
    return { holds: (await this.deps.store.listForMember(memberId)).map(memberHoldView) };
  }

  private async require(holdId: string): Promise<HoldRecord> {
    const hold = await this.deps.store.get(holdId);
    if (!hold) throw new AppError("HOLD_NOT_FOUND", `Hold ${holdId} does not exist.`);
    return hold;
  }
}
