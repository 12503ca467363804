import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import { type ExplainedCatalogChange, explainCatalogChange } from "../engine/change-explainer.js";
import { messageLocale, type RequestLocale } from "../engine/decision-context.js";
import { fieldLabel, localize, type MessageEnv, value } from "../engine/message-format.js";
import { benefitOf } from "../engine/rule-changes.js";
import { formatLocalTime } from "../engine/time-format.js";
import { AppError } from "../errors.js";
import type { MemberService } from "../members/member-service.js";
import type { NoticeChange, NoticeRecord, NoticeStore } from "./notice-store.js";

/** A notice as members and support read it, in the member's locale. */
export interface NoticeView {
  id: string;
  catalogVersion: number;
  createdAt: string;
  appliesFrom: string;
  policy: string;
  title: string;
  message: string;
  changes: NoticeChange[];
  /** The change in the plans page's sentences, before → after (engine/change-explainer.ts). */
  explained: ExplainedCatalogChange;
  readAt: string | null;
}

const isLocale = (v: string | null): v is Locale => v === "en" || v === "zh-CN";

/** Rule-change notices of one member: listing (in their locale) and marking read. */
export class NoticeService {
  constructor(
    private readonly deps: {
      store: NoticeStore;
      members: MemberService;
      catalog: CatalogService;
      clock: Clock;
    },
  ) {}

  async list(memberId: string, requestLocale: RequestLocale): Promise<{ notices: NoticeView[] }> {
    const member = await this.deps.members.requireMember(memberId);
    const locale = messageLocale(isLocale(member.locale) ? member.locale : null, requestLocale);
    const notices = await this.deps.store.listForMember(memberId);
    const views: NoticeView[] = [];
    for (const n of notices) views.push(await this.view(n, locale, member.timezone));
    return { notices: views };
  }

  async markRead(memberId: string, noticeId: string): Promise<void> {
    if (!(await this.deps.store.markRead(memberId, noticeId, new Date(this.deps.clock.now()))))
      throw new AppError("NOT_FOUND", `Notice ${noticeId} does not exist.`);
  }

  /**
   * The change in the plans page's sentences, before → after, narrowed to what the notice names for
   * this member: their tiers, the benefits that change for them, the coupons those benefits issue.
   */
  private async explained(n: NoticeRecord, env: MessageEnv): Promise<ExplainedCatalogChange> {
    const empty = { tiers: [], benefits: [], coupons: [] };
    if (n.catalogVersion <= 1) return empty;
    const [before, after] = await Promise.all([
      this.deps.catalog.installedVersion(n.catalogVersion - 1),
      this.deps.catalog.installedVersion(n.catalogVersion),
    ]).catch(() => [null, null]);
    if (before === null || after === null) return empty;
    const all = explainCatalogChange(
      { locale: env.locale, timezone: env.timezone, catalog: env.catalog },
      before.record.document,
      after.record.document,
    );
    const tiers = new Set(n.changes.map((c) => c.tier));
    const benefits = new Set(
      n.changes.flatMap((c) => [...c.changed.map((x) => x.benefit), ...c.added, ...c.withdrawn]),
    );
    const coupons = new Set(
      after.record.document.benefits
        .filter((b) => benefits.has(b.code))
        .flatMap((b) => b.couponPack?.items.map((i) => i.coupon) ?? []),
    );
    return {
      tiers: all.tiers.filter((t) => tiers.has(t.code)),
      benefits: all.benefits.filter((b) => benefits.has(b.code)),
      coupons: all.coupons.filter((c) => coupons.has(c.code)),
    };
  }

  private async view(n: NoticeRecord, locale: Locale, timezone: string): Promise<NoticeView> {
    const env: MessageEnv = { locale, benefit: "", timezone, catalog: this.deps.catalog.peek() };
    const explained = await this.explained(n, env);
    return {
      id: n.id,
      catalogVersion: n.catalogVersion,
      createdAt: n.createdAt.toISOString(),
      appliesFrom: n.appliesFrom.toISOString(),
      policy: n.policy,
      title: localize(n.title, locale),
      message: n.message === null ? summarize(n, env, explained) : localize(n.message, locale),
      changes: n.changes,
      explained,
      readAt: n.readAt?.toISOString() ?? null,
    };
  }
}

function nameOf(catalog: CompiledCatalog | null, code: string, locale: Locale): string {
  const benefit = catalog === null ? undefined : benefitOf(catalog, code);
  return (benefit && localize(benefit.name, locale)) || code;
}

/** The notice in words when the operator wrote none: what changed, for which tier, from when. */
export function summarize(n: NoticeRecord, env: MessageEnv, explained?: ExplainedCatalogChange): string {
  const zh = env.locale === "zh-CN";
  const name = (code: string) => nameOf(env.catalog, code, env.locale);
  const parts: string[] = [];
  for (const change of n.changes) {
    const tier = env.catalog?.tiers.get(change.tier);
    const tierName = (tier && localize(tier.name, env.locale)) || change.tier;
    const items: string[] = [];
    for (const c of change.changed) {
      // The plans page's sentences when the change has them (one wording everywhere), else field by field.
      const words = explained?.benefits.find((b) => b.code === c.benefit);
      if (words && (words.before.length > 0 || words.after.length > 0)) {
        const was = words.before.join(zh ? "，" : ", ") || (zh ? "无" : "none");
        const now = words.after.join(zh ? "，" : ", ") || (zh ? "无" : "none");
        items.push(
          zh ? `${words.name}由「${was}」变为「${now}」` : `${words.name}: "${was}" becomes "${now}"`,
        );
        continue;
      }
      for (const f of c.fields) {
        items.push(
          zh
            ? `${name(c.benefit)}的${fieldLabel(env, f.field)}由${value(env, f.before)}变为${value(env, f.after)}`
            : `${name(c.benefit)}: ${fieldLabel(env, f.field)} changes from ${value(env, f.before)} to ${value(env, f.after)}`,
        );
      }
    }
    for (const b of change.withdrawn) items.push(zh ? `不再包含${name(b)}` : `${name(b)} is withdrawn`);
    for (const b of change.added) items.push(zh ? `新增${name(b)}` : `${name(b)} is added`);
    parts.push(zh ? `${tierName}：${items.join("；")}` : `${tierName}: ${items.join("; ")}`);
  }
  const from = formatLocalTime(n.appliesFrom.toISOString(), env.timezone);
  return zh
    ? `${parts.join("。")}。以上调整自${from}起对您生效。`
    : `${parts.join(". ")}. These changes apply to you from ${from}.`;
}
