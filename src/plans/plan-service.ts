/**
 * Every plan's benefits and rules in words, before a member buys: for the platform's shop pages
 * (GET /v1/plans) and for one member (GET /v1/me/plans), with what an upgrade adds and the credit
 * it carries over today — quoted by the function the payment runs (memberships/upgrade-quote.ts).
 */
import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog, Locale, Money } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import type { Stores } from "../db/stores.js";
import { explainCatalogChange, isEmptyExplanation } from "../engine/change-explainer.js";
import { DEFAULT_LOCALE, messageLocale, type RequestLocale } from "../engine/decision-context.js";
import type { ExplainEnv } from "../engine/rule-explainer.js";
import type { MemberService } from "../members/member-service.js";
import { classifyPurchase, type HeldMembershipRecord, quoteUpgrade } from "../memberships/upgrade-quote.js";
import { DEFAULT_TIME_ZONE } from "../time/durations.js";
import { type ChangeView, type PlansView, plansView, touchesTier } from "./plan-views.js";

/** How many versions back the history looks for changes members read differently. */
export const CHANGES_LISTED = 10;
/** How many versions it reads at most to find them (versions that change only names say nothing new). */
const VERSIONS_SEARCHED = 50;

export interface PlanDeps {
  catalog: CatalogService;
  members: MemberService;
  /** The member's memberships and the paid orders behind them: what an upgrade would replace. */
  reads: {
    memberships: Pick<Stores["memberships"], "listActive">;
    orders: Pick<Stores["orders"], "paidForMembership">;
  };
  clock: Clock;
  /** GET /v1/plans answers without a credential (PERKWISE_PUBLIC_PLANS): the platform's shop pages. */
  publicPlans: boolean;
}

/** What paying for one plan would do for this member, today. */
export interface OfferView {
  plan: string;
  tier: string;
  /** `new` membership, `extend` (renewal), `upgrade` (at once, with credit), `downgrade_scheduled`. */
  effect: "new" | "extend" | "upgrade" | "downgrade_scheduled";
  price: Money;
  /** When the bought term would start. */
  startsAt: string;
  /** For an upgrade: the unused value carried over, and the extra time it buys on the new plan. */
  credit: Money | null;
  creditMs: number | null;
  /** Benefits the plan's tier has that the member's current tier has not, and the other way round. */
  adds: string[];
  loses: string[];
}

export interface HeldMembership {
  tier: string;
  status: string;
  startsAt: string;
  expiresAt: string;
  graceEndsAt: string | null;
}

export interface MemberPlansView extends PlansView {
  member: {
    memberId: string;
    /** The highest tier running now, or null for a non-member. */
    tier: string | null;
    memberships: HeldMembership[];
  };
  offers: OfferView[];
}

const isLocale = (v: string | null): v is Locale => v === "en" || v === "zh-CN";

export class PlanService {
  constructor(private readonly deps: PlanDeps) {}

  /** Whether GET /v1/plans needs no credential. */
  get isPublic(): boolean {
    return this.deps.publicPlans;
  }

  /** The plans page for anyone: times in China's time zone (the default of members without one). */
  async plans(requestLocale: Locale | null): Promise<PlansView> {
    const catalog = this.deps.catalog.require();
    const env = { locale: requestLocale ?? DEFAULT_LOCALE, timezone: DEFAULT_TIME_ZONE, catalog };
    return plansView(env, await this.effectiveFrom(catalog), await this.changes(env));
  }

  /** The plans page of one member: what they hold, each plan's effect and credit, their tier's changes. */
  async memberPlans(memberId: string, requestLocale: RequestLocale): Promise<MemberPlansView> {
    const member = await this.deps.members.requireMember(memberId);
    const catalog = this.deps.catalog.require();
    const locale = messageLocale(isLocale(member.locale) ? member.locale : null, requestLocale);
    const env = { locale, timezone: member.timezone, catalog };
    const now = this.deps.clock.now();
    const active = await this.deps.reads.memberships.listActive(memberId, new Date(now));
    const current = currentTier(catalog, active, now);
    const changes = (await this.changes(env)).filter(
      (c) => current === null || touchesTier(c, current, catalog),
    );
    const offers: OfferView[] = [];
    for (const tier of catalog.tiers.values()) {
      for (const plan of tier.plans) {
        const purchase = classifyPurchase(catalog, active, plan, now);
        const quote =
          purchase.kind === "upgrade"
            ? await quoteUpgrade(this.deps.reads.orders, catalog, purchase.lower, plan, member.timezone, now)
            : null;
        const startsAt =
          purchase.kind === "extend"
            ? purchase.membership.expiresAt.getTime()
            : purchase.kind === "downgrade_scheduled"
              ? purchase.until.expiresAt.getTime()
              : now;
        const had =
          current === null ? new Set<string>() : (catalog.tiers.get(current)?.benefits ?? new Set());
        offers.push({
          plan: plan.code,
          tier: tier.code,
          effect: purchase.kind,
          price: plan.price,
          startsAt: new Date(startsAt).toISOString(),
          credit: quote === null ? null : { amount: quote.credit, currency: quote.currency },
          creditMs: quote?.extraMs ?? null,
          adds: [...tier.benefits].filter((b) => !had.has(b)),
          loses: [...had].filter((b) => !tier.benefits.has(b)),
        });
      }
    }
    return {
      ...plansView(env, await this.effectiveFrom(catalog), changes),
      member: {
        memberId,
        tier: current,
        memberships: active.map((m) => ({
          tier: m.tier,
          status: m.status,
          startsAt: m.startsAt.toISOString(),
          expiresAt: m.expiresAt.toISOString(),
          graceEndsAt: m.graceEndsAt?.toISOString() ?? null,
        })),
      },
      offers,
    };
  }

  private async effectiveFrom(catalog: CompiledCatalog): Promise<number> {
    return (await this.deps.catalog.installedVersion(catalog.version)).activeAt;
  }

  /** The versions up to the one in force that members read differently, newest first, explained. */
  private async changes(env: ExplainEnv & { catalog: CompiledCatalog }): Promise<ChangeView[]> {
    const out: ChangeView[] = [];
    const oldest = Math.max(1, env.catalog.version - VERSIONS_SEARCHED);
    for (let v = env.catalog.version; v > oldest && out.length < CHANGES_LISTED; v--) {
      const after = await this.deps.catalog.installedVersion(v);
      const before = await this.deps.catalog.installedVersion(v - 1);
      const explained = explainCatalogChange(env, before.record.document, after.record.document);
      if (isEmptyExplanation(explained)) continue;
      out.push({ version: v, effectiveFrom: new Date(after.activeAt).toISOString(), ...explained });
    }
    return out;
  }
}

/** The highest-ranked tier running at `now` (started, not past its grace), or null. */
function currentTier(
  catalog: CompiledCatalog,
  active: readonly HeldMembershipRecord[],
  now: number,
): string | null {
  let best: HeldMembershipRecord | null = null;
  for (const m of active) {
    if (m.startsAt.getTime() > now) continue;
    const rank = catalog.tiers.get(m.tier)?.rank ?? -1;
    if (best === null || rank > (catalog.tiers.get(best.tier)?.rank ?? -1)) best = m;
  }
  return best?.tier ?? null;
}
