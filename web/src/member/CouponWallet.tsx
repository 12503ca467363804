import { useCallback, useEffect, useState } from "react";
import type { Api } from "../common/api";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import type { MemberCoupon } from "./coupon-types";

/** The member's coupons (`GET /v1/me/coupons`) with their state, and a claim button for unclaimed ones. */
export function CouponWallet({
  api,
  generation,
  onClaimed,
}: {
  api: Api;
  /** Changes when a live event arrives or the page reloaded: the list is read again. */
  generation: number;
  onClaimed: () => void;
}) {
  const { t, tc, formatTime } = useI18n();
  const [coupons, setCoupons] = useState<MemberCoupon[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [claiming, setClaiming] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setCoupons((await api.get<{ coupons: MemberCoupon[] }>("/v1/me/coupons")).coupons);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: read again on every live event
  useEffect(() => {
    void load();
  }, [load, generation]);

  const claim = async (couponId: string) => {
    setClaiming(couponId);
    try {
      await api.post(`/v1/me/coupons/${encodeURIComponent(couponId)}/claim`);
      setError(null);
      await load();
      onClaimed();
    } catch (e) {
      setError(e);
    } finally {
      setClaiming(null);
    }
  };

  return (
    <div data-testid="coupon-wallet">
      <h3>{t("coupons.mine")}</h3>
      <ErrorMessage error={error} />
      {coupons?.length === 0 && <p>{t("coupons.none")}</p>}
      {coupons && coupons.length > 0 && (
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
                {c.orderRef && ` · ${t("coupons.order", { order: c.orderRef })}`}
              </p>
              {c.state === "unclaimed" && (
                <button type="button" disabled={claiming !== null} onClick={() => void claim(c.couponId)}>
                  {t("coupons.claim", { name: c.name })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
