import { BeforeAfter } from "../common/BeforeAfter";
import { formatMoney } from "../common/money";
import type { ExplainedChange, MemberPlans, PlanChange, PlanOffer } from "../common/types";
import { useI18n } from "../i18n/i18n";

const HOUR = 3600 * 1000;

/**
 * Plans and rules (权益详情), before a member buys: the tiers side by side, each benefit's rules in
 * the words the decisions use, what each plan would do for this member today (the upgrade credit is
 * the server's quote, the one the payment grants), and the rule changes that touched their tier.
 */
export function PlansPage({ plans }: { plans: MemberPlans }) {
  const { t, formatTime } = useI18n();
  const benefitName = (code: string) => plans.benefits.find((b) => b.code === code)?.name ?? code;
  const current = plans.member.tier;
  return (
    <div data-testid="plans">
      <p className="muted" data-testid="plans-version">
        {t("plans.version", { version: plans.catalog.version, at: formatTime(plans.catalog.effectiveFrom) })}
      </p>
      <p data-testid="plans-holding">
        {current === null
          ? t("plans.noTier")
          : t("plans.yourTier", { tier: plans.tiers.find((x) => x.code === current)?.name ?? current })}
      </p>

      <h3>{t("plans.compare")}</h3>
      <div className="table-scroll">
        <table className="plans-compare" data-testid="plans-compare">
          <thead>
            <tr>
              <th scope="col">{t("plans.benefit")}</th>
              {plans.tiers.map((tier) => (
                <th key={tier.code} scope="col" data-tier={tier.code}>
                  {tier.name}
                  {tier.code === current && <span className="badge ok">{t("plans.current")}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {plans.benefits.map((b) => (
              <tr key={b.code} data-benefit={b.code}>
                <th scope="row">{b.name}</th>
                {plans.tiers.map((tier) => (
                  <td key={tier.code}>{tier.benefits.includes(b.code) ? "✓" : "—"}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>{t("plans.offers")}</h3>
      <ul className="plan-offers" data-testid="plan-offers">
        {plans.tiers.flatMap((tier) =>
          tier.plans.map((plan) => {
            const offer = plans.offers.find((o) => o.plan === plan.code);
            return (
              <li key={plan.code} data-plan={plan.code}>
                <h4>{tier.name}</h4>
                <ul>
                  {plan.rules.map((r) => (
                    <li key={r.rule}>{r.text}</li>
                  ))}
                </ul>
                {offer && <OfferText offer={offer} benefitName={benefitName} />}
              </li>
            );
          }),
        )}
      </ul>

      <h3>{t("plans.rules")}</h3>
      <ul className="plan-benefits" data-testid="plan-benefits">
        {plans.benefits.map((b) => (
          <li key={b.code} data-benefit={b.code}>
            <h4>{b.name}</h4>
            {b.description && <p className="muted">{b.description}</p>}
            <ul>
              {b.rules.map((r) => (
                <li key={r.rule + r.text} data-rule={r.rule}>
                  {r.text}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {plans.coupons.length > 0 && (
        <>
          <h3>{t("plans.coupons")}</h3>
          <ul className="plan-benefits" data-testid="plan-coupons">
            {plans.coupons.map((c) => (
              <li key={c.code} data-coupon={c.code}>
                <h4>{c.name}</h4>
                <ul>
                  {c.rules.map((r) => (
                    <li key={r.rule + r.text}>{r.text}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>{t("plans.history")}</h3>
      {plans.changes.length === 0 ? (
        <p data-testid="plans-history-empty">{t("plans.noChanges")}</p>
      ) : (
        <ul className="plan-history" data-testid="plans-history">
          {plans.changes.map((change) => (
            <ChangeItem key={change.version} change={change} />
          ))}
        </ul>
      )}
    </div>
  );
}

function OfferText({ offer, benefitName }: { offer: PlanOffer; benefitName: (code: string) => string }) {
  const { t, tc, language, formatTime } = useI18n();
  const names = (codes: string[]) => codes.map(benefitName).join(language === "zh-CN" ? "、" : ", ");
  return (
    <div className="offer" data-effect={offer.effect}>
      <p>
        <strong>{tc("plans.effect", offer.effect, { at: formatTime(offer.startsAt) })}</strong>
      </p>
      {offer.credit && offer.credit.amount > 0 && offer.creditMs !== null && (
        <p data-testid="upgrade-credit">
          {t("plans.credit", {
            credit: formatMoney(offer.credit, language),
            days: Math.floor(offer.creditMs / (24 * HOUR)),
            hours: Math.floor((offer.creditMs % (24 * HOUR)) / HOUR),
          })}
        </p>
      )}
      {offer.adds.length > 0 && offer.effect !== "new" && (
        <p>{t("plans.adds", { benefits: names(offer.adds) })}</p>
      )}
      {offer.loses.length > 0 && <p>{t("plans.loses", { benefits: names(offer.loses) })}</p>}
    </div>
  );
}

function ChangeItem({ change }: { change: PlanChange }) {
  const { t, formatTime } = useI18n();
  const items: ExplainedChange[] = [
    ...change.benefits,
    ...change.coupons,
    ...change.tiers.flatMap((x) => x.plans),
  ];
  return (
    <li data-version={change.version}>
      <h4>{t("plans.changeOf", { version: change.version, at: formatTime(change.effectiveFrom) })}</h4>
      {change.tiers.map((tier) =>
        [
          ...tier.added.map((b) => t("plans.tierAdded", { tier: tier.name, benefit: b })),
          ...tier.withdrawn.map((b) => t("plans.tierWithdrawn", { tier: tier.name, benefit: b })),
        ].map((line) => <p key={line}>{line}</p>),
      )}
      <BeforeAfter items={items} />
    </li>
  );
}
