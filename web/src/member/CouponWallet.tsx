import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Client, unwrap } from "../common/client";
import { Loaded } from "../common/Loaded";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import type { MemberCoupon } from "./coupon-types";
import { invalidate, memberKeys, useCoupons } from "./member-queries";

/** Coupons the member can no longer use: shown after the current ones, folded. */
const PAST_STATES = new Set(["used", "expired"]);

/**
 * The member's coupons (`GET /v1/me/coupons`): the current ones first (a claim button on unclaimed
 * ones), then last periods' used and expired ones folded away.
 */
export function CouponWallet({ client }: { client: Client }) {
  const { t, language } = useI18n();
  const coupons = useCoupons(client, language);
  return (
    <div data-testid="coupon-wallet">
      <h3>{t("coupons.mine")}</h3>
      <Loaded query={coupons}>
        {({ coupons: all }) => {
          const current = all.filter((c) => !PAST_STATES.has(c.state));
          const past = all.filter((c) => PAST_STATES.has(c.state));
          return (
            <>
              {current.length === 0 && <p>{t("coupons.none")}</p>}
              {current.length > 0 && <CouponItems coupons={current} client={client} />}
              {past.length > 0 && (
                <details data-testid="past-coupons">
                  <summary>{t("coupons.past", { count: past.length })}</summary>
                  <CouponItems coupons={past} client={client} />
                </details>
              )}
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

function CouponItems({ coupons, client }: { coupons: MemberCoupon[]; client: Client }) {
  const { t, tc, formatTime } = useI18n();
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [claiming, setClaiming] = useState<string | null>(null);
  const claim = async (couponId: string) => {
    setClaiming(couponId);
    try {
      await unwrap(client.POST("/v1/me/coupons/{couponId}/claim", { params: { path: { couponId } } }));
      setError(null);
      invalidate(queries, [memberKeys.coupons, memberKeys.checkout]);
    } catch (e) {
      setError(e);
    } finally {
      setClaiming(null);
    }
  };
  return (
    <>
      <ErrorMessage error={error} />
      <ul className="coupons">
        {coupons.map((c) => (
          <li key={c.couponId} data-coupon={c.couponId} data-code={c.code} data-state={c.state}>
            <strong>{c.name}</strong>{" "}
            <span className={`badge ${c.state === "available" ? "ok" : "warn"}`} data-testid="coupon-state">
              {tc("couponState", c.state)}
            </span>
            <p className="muted">
              {c.state === "unclaimed"
                ? t("coupons.claimBy", { time: formatTime(c.validUntil) })
                : c.validUntil
                  ? t("coupons.validUntil", { time: formatTime(c.validUntil) })
                  : t("coupons.noEnd")}
              {c.orderRef && (
                <>
                  {" · "}
                  {t("coupons.order", { order: "" })}
                  <code translate="no">{c.orderRef}</code>
                </>
              )}
            </p>
            {c.state === "unclaimed" && (
              <button type="button" disabled={claiming !== null} onClick={() => void claim(c.couponId)}>
                {t("coupons.claim", { name: c.name })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
