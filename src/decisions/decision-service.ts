import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import { decide } from "../engine/decide.js";
import type {
  ClientContext,
  Decision,
  DecisionContext,
  MemberSnapshot,
  ProductContext,
} from "../engine/engine-types.js";
import { buildEntitlements } from "../engine/entitlements.js";
import { isKnownBenefit } from "../engine/rule-changes.js";
import { AppError } from "../errors.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import type { SnapshotCache } from "./snapshot-cache.js";

/** The decision context as callers send it; `at` is an ISO time. */
export interface ContextInput {
  at?: string;
  channel?: string;
  product?: ProductContext;
  client?: ClientContext;
  usage?: number;
}

export interface CheckInput {
  memberId: string;
  benefit: string;
  context?: ContextInput;
}

/** Messages default to Chinese, the language of the platforms Perkwise is built for. */
export const DEFAULT_LOCALE: Locale = "zh-CN";

/** Decisions and entitlement snapshots, read from the in-memory snapshot cache. */
export class DecisionService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly cache: SnapshotCache,
    private readonly clock: Clock,
    /** Told of each member whose decision met drift (STATE_INCONSISTENT); must not block. */
    private readonly onDrift: (memberId: string) => void = () => {},
  ) {}

  /** One decision. `requestLocale` applies when the member has no locale of their own, unless `forceLocale`. */
  async check(input: CheckInput, requestLocale: Locale | null, forceLocale = false): Promise<Decision> {
    const catalog = this.catalog.require();
    this.requireBenefit(catalog, input.benefit, "/benefit");
    const snapshot = this.cache.peek(input.memberId) ?? (await this.cache.get(input.memberId));
    const context = this.context(snapshot, input.context, requestLocale, "");
    if (forceLocale && requestLocale) context.locale = requestLocale;
    return this.noticeDrift(decide(snapshot, catalog, input.benefit, context));
  }

  /** Many checks at once; members not in the cache are loaded once each, in parallel. */
  async batch(checks: CheckInput[], requestLocale: Locale | null): Promise<Decision[]> {
    const catalog = this.catalog.require();
    for (const [i, c] of checks.entries()) this.requireBenefit(catalog, c.benefit, `/checks/${i}/benefit`);
    const members = [...new Set(checks.map((c) => c.memberId))];
    const loaded = await Promise.all(members.map((id) => this.cache.peek(id) ?? this.cache.get(id)));
    const snapshots = new Map(members.map((id, i) => [id, loaded[i]]));
    return checks.map((c, i) => {
      const snapshot = snapshots.get(c.memberId)!;
      return this.noticeDrift(
        decide(
          snapshot,
          catalog,
          c.benefit,
          this.context(snapshot, c.context, requestLocale, `/checks/${i}`),
        ),
      );
    });
  }

  /** Every benefit of the catalog with its state for the member; requires a registered member. */
  async entitlements(memberId: string, requestLocale: Locale | null) {
    const catalog = this.catalog.require();
    const snapshot = await this.cache.get(memberId);
    if (!snapshot.exists) throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`);
    return buildEntitlements(snapshot, catalog, this.context(snapshot, undefined, requestLocale, ""));
  }

  /** A denial that met drift starts the member's repair; allowed decisions cost one property read. */
  private noticeDrift(decision: Decision): Decision {
    if (!decision.allowed) {
      for (const reason of decision.reasons) {
        if (reason.code === "STATE_INCONSISTENT") {
          this.onDrift(decision.memberId);
          break;
        }
      }
    }
    return decision;
  }

  private requireBenefit(catalog: CompiledCatalog, code: string, path: string) {
    // A benefit removed from the catalog still answers, with BENEFIT_WITHDRAWN (or, for a member who
    // keeps the old rules, as before); one that never existed is not found.
    if (!isKnownBenefit(catalog, code)) {
      throw new AppError("BENEFIT_NOT_FOUND", `Benefit ${code} is not in the catalog.`, [
        { path, message: "unknown benefit" },
      ]);
    }
  }

  /** The decision context of a request: its own fields, the member's locale and latest client session. */
  context(
    snapshot: MemberSnapshot,
    input: ContextInput | undefined,
    requestLocale: Locale | null,
    path: string,
  ): DecisionContext {
    let at = this.clock.now();
    if (input?.at !== undefined) {
      const parsed = parseIsoDateTime(input.at);
      if (parsed === null) {
        throw new AppError("VALIDATION_FAILED", "context.at is not a date-time.", [
          { path: `${path}/context/at`, message: "must be an ISO-8601 date-time with an offset" },
        ]);
      }
      at = parsed;
    }
    return {
      at,
      locale: snapshot.locale ?? requestLocale ?? DEFAULT_LOCALE,
      channel: input?.channel,
      product: input?.product,
      // Without a client in the context, what the member's app last reported about itself.
      client: input?.client ?? snapshot.latestSession ?? undefined,
      usage: input?.usage,
    };
  }
}
