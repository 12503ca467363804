import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import { decide } from "../engine/decide.js";
import {
  type ContextInput,
  decisionContext,
  messageLocale,
  type RequestLocale,
} from "../engine/decision-context.js";
import type { Decision, DecisionContext, MemberSnapshot } from "../engine/engine-types.js";
import { buildEntitlements } from "../engine/entitlements.js";
import { isKnownBenefit } from "../engine/rule-changes.js";
import { AppError } from "../errors.js";
import type { DecisionRecorder } from "../metrics/app-metrics.js";
import type { SnapshotCache } from "./snapshot-cache.js";

export { type ContextInput, DEFAULT_LOCALE } from "../engine/decision-context.js";

export interface CheckInput {
  memberId: string;
  benefit: string;
  context?: ContextInput;
}

/** Decisions and entitlement snapshots, read from the in-memory snapshot cache. */
export class DecisionService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      cache: SnapshotCache;
      clock: Clock;
      /** Told of each member whose decision met drift (STATE_INCONSISTENT); must not block. */
      onDrift?: (memberId: string) => void;
      /** Counts each decision by benefit and reason, with its latency (plain integers: metrics.ts). */
      recorder?: DecisionRecorder;
    },
  ) {}

  /** One decision. `requestLocale` applies when the member has no locale of their own, unless `forceLocale`. */
  async check(input: CheckInput, requestLocale: RequestLocale, forceLocale = false): Promise<Decision> {
    const started = performance.now();
    const catalog = this.deps.catalog.require();
    this.requireBenefit(catalog, input.benefit, "/benefit");
    const snapshot = this.deps.cache.peek(input.memberId) ?? (await this.deps.cache.get(input.memberId));
    const context = this.context(snapshot, input.context, requestLocale, "");
    if (forceLocale && requestLocale) context.locale = messageLocale(null, requestLocale);
    const decision = this.noticeDrift(decide(snapshot, catalog, input.benefit, context));
    this.record(decision, performance.now() - started);
    return decision;
  }

  private record(decision: Decision, elapsedMs: number): void {
    this.deps.recorder?.decided(
      decision.benefit,
      decision.reasons[0]?.code ?? "GRANTED",
      elapsedMs,
      this.deps.clock.now(),
    );
  }

  /** Many checks at once; members not in the cache are loaded once each, in parallel. */
  async batch(checks: CheckInput[], requestLocale: RequestLocale): Promise<Decision[]> {
    const started = performance.now();
    const catalog = this.deps.catalog.require();
    for (const [i, c] of checks.entries()) this.requireBenefit(catalog, c.benefit, `/checks/${i}/benefit`);
    const members = [...new Set(checks.map((c) => c.memberId))];
    const loaded = await Promise.all(
      members.map((id) => this.deps.cache.peek(id) ?? this.deps.cache.get(id)),
    );
    const snapshots = new Map(members.map((id, i) => [id, loaded[i]]));
    const decisions = checks.map((c, i) => {
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
    // Each decision of a batch is counted with the batch's time shared out evenly.
    const share = (performance.now() - started) / Math.max(1, decisions.length);
    for (const decision of decisions) this.record(decision, share);
    return decisions;
  }

  /** Every benefit of the catalog with its state for the member; requires a registered member. */
  async entitlements(memberId: string, requestLocale: RequestLocale) {
    const catalog = this.deps.catalog.require();
    const snapshot = await this.deps.cache.get(memberId);
    if (!snapshot.exists)
      throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
        variant: "id",
        params: { memberId: memberId },
      });
    return buildEntitlements(snapshot, catalog, this.context(snapshot, undefined, requestLocale, ""));
  }

  /** What decisions read about the member, as the cache holds it (exists: false when unknown). */
  async snapshot(memberId: string): Promise<MemberSnapshot> {
    return this.deps.cache.peek(memberId) ?? this.deps.cache.get(memberId);
  }

  /** A denial that met drift starts the member's repair; allowed decisions cost one property read. */
  private noticeDrift(decision: Decision): Decision {
    if (!decision.allowed) {
      for (const reason of decision.reasons) {
        if (reason.code === "STATE_INCONSISTENT") {
          this.deps.onDrift?.(decision.memberId);
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
      throw new AppError(
        "BENEFIT_NOT_FOUND",
        `Benefit ${code} is not in the catalog.`,
        [{ path, message: "unknown benefit" }],
        { variant: "code", params: { benefit: code } },
      );
    }
  }

  /** The decision context of a request: its own fields, the member's locale and latest client session. */
  context(
    snapshot: MemberSnapshot,
    input: ContextInput | undefined,
    requestLocale: RequestLocale,
    path: string,
  ): DecisionContext {
    return decisionContext(snapshot, input, requestLocale, this.deps.clock.now(), path);
  }
}
