import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type Client, unwrap } from "../common/client";
import { Loaded } from "../common/Loaded";
import { formatMoney } from "../common/money";
import type { Money } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { CartEditor, type CartLineDraft, SAMPLE_CART, SAMPLE_CHANNEL, toCartLines } from "./CartEditor";
import { CouponWallet } from "./CouponWallet";
import type {
  CartBody,
  CheckoutEvaluation,
  CouponDiagnosis,
  CouponEvaluation,
  CouponReason,
} from "./coupon-types";
import { memberKeys } from "./member-queries";

/** Every reason with its remedy, as the server words them in the member's language. */
function ReasonList({ reasons }: { reasons: CouponReason[] }) {
  return (
    <ul className="reasons">
      {reasons.map((r) => (
        <li key={r.code} data-code={r.code}>
          {r.message} {r.remedy.message && <span className="remedy">{r.remedy.message}</span>}
        </li>
      ))}
    </ul>
  );
}

/** The member's coupons, then which of them work on a sample cart, why the others do not, and the best combination. */
export function MemberCoupons({ client }: { client: Client }) {
  const { t, language } = useI18n();
  const [cart, setCart] = useState<CartLineDraft[]>(SAMPLE_CART);
  const [channel, setChannel] = useState(SAMPLE_CHANNEL);
  const [evaluatedCart, setEvaluatedCart] = useState<CartBody | null>(() =>
    cartBody(SAMPLE_CART, SAMPLE_CHANNEL),
  );
  const [error, setError] = useState<unknown>(null);
  // Evaluated when the page opens, when the member submits the cart, and when a live event or a claim changed the coupons.
  const evaluation = useQuery({
    queryKey: [...memberKeys.checkout, language, evaluatedCart],
    queryFn: () =>
      unwrap(client.POST("/v1/me/checkout/evaluate", { body: { cart: evaluatedCart as CartBody } })),
    enabled: evaluatedCart !== null,
  });
  const evaluate = () => {
    const body = cartBody(cart, channel);
    if (!body) return setError(new Error(t("coupons.badCart")));
    setError(null);
    setEvaluatedCart(body);
  };
  return (
    <div data-testid="coupons">
      <CouponWallet client={client} />
      <h3>{t("coupons.tryCart")}</h3>
      <CartEditor
        lines={cart}
        onChange={setCart}
        channel={channel}
        onChannelChange={setChannel}
        onSubmit={evaluate}
      />
      <ErrorMessage error={error} />
      <Loaded query={evaluation}>
        {(answer) => evaluatedCart && <Evaluation evaluation={answer} cart={evaluatedCart} client={client} />}
      </Loaded>
    </div>
  );
}

function cartBody(cart: CartLineDraft[], channel: string): CartBody | null {
  const lines = toCartLines(cart);
  return lines ? { lines, ...(channel.trim() ? { channel: channel.trim() } : {}) } : null;
}

/** Each line's price, each coupon on this cart with its reasons, and the best combination. */
function Evaluation({
  evaluation,
  cart,
  client,
}: {
  evaluation: CheckoutEvaluation;
  cart: CartBody;
  client: Client;
}) {
  const { t, formatTime, language } = useI18n();
  const [diagnoses, setDiagnoses] = useState<Record<string, CouponDiagnosis>>({});
  const [error, setError] = useState<unknown>(null);
  const diagnose = async (couponId: string) => {
    try {
      const answer = await unwrap(client.POST("/v1/me/diagnose", { body: { coupon: couponId, cart } }));
      setDiagnoses((d) => ({ ...d, [couponId]: answer as CouponDiagnosis }));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  const money = (m: Money) => formatMoney(m, language);
  const couponName = (c: CouponEvaluation) => c.name ?? c.code ?? c.couponId;
  const byId = new Map(evaluation.coupons.map((c) => [c.couponId, c]));
  return (
    <>
      <ErrorMessage error={error} />
      {
        <div data-testid="checkout-evaluation">
          <p className="muted">{t("coupons.evaluatedAt", { time: formatTime(evaluation.at) })}</p>
          <h4>{t("coupons.lines")}</h4>
          <ul className="cart-lines">
            {evaluation.lines.map((line) => (
              <li key={line.index} data-line={line.index}>
                <strong>{line.productId}</strong> ×{line.quantity}:{" "}
                {line.discount.benefit
                  ? t("coupons.memberPrice", {
                      list: money(line.unitPrice),
                      member: money(line.memberUnitPrice),
                      total: money(line.lineTotal),
                    })
                  : t("coupons.listPrice", { list: money(line.unitPrice), total: money(line.lineTotal) })}
                {line.discount.reasons.map((r) => (
                  <p key={`${r.benefit}:${r.code}`} className="muted" data-code={r.code}>
                    {r.message}
                  </p>
                ))}
              </li>
            ))}
          </ul>
          <h4>{t("coupons.onThisCart")}</h4>
          {evaluation.coupons.length === 0 ? (
            <p>{t("coupons.none")}</p>
          ) : (
            <ul className="coupons">
              {evaluation.coupons.map((c) => {
                const diagnosis = diagnoses[c.couponId];
                return (
                  <li
                    key={c.couponId}
                    className={c.applicable ? "applies" : "blocked"}
                    data-coupon={c.couponId}
                    data-code={c.code ?? ""}
                  >
                    <strong>{couponName(c)}</strong>{" "}
                    <span className={`badge ${c.applicable ? "ok" : "warn"}`} data-testid="coupon-verdict">
                      {c.applicable
                        ? t("coupons.applies", { saving: money(c.saving) })
                        : t("coupons.doesNotApply")}
                    </span>
                    <ReasonList reasons={c.reasons} />
                    {!c.applicable && (
                      <button type="button" onClick={() => void diagnose(c.couponId)}>
                        {t("coupons.why", { name: couponName(c) })}
                      </button>
                    )}
                    {diagnosis && (
                      <div className="diagnosis" role="status" data-testid="coupon-diagnosis">
                        <p>
                          {diagnosis.verdict === "working"
                            ? t("coupons.aloneWorks", { saving: money(diagnosis.coupon.saving) })
                            : t("coupons.aloneFails")}
                        </p>
                        <ReasonList reasons={diagnosis.coupon.reasons} />
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          <div className="best" data-testid="best-combination">
            <h4>{t("coupons.best")}</h4>
            <p>
              {evaluation.best.coupons.length === 0
                ? t("coupons.bestNone")
                : evaluation.best.coupons
                    .map((id) => {
                      const c = byId.get(id);
                      return c ? couponName(c) : id;
                    })
                    .join(" + ")}
            </p>
            <p className="total">
              {t("coupons.totals", {
                list: money(evaluation.listSubtotal),
                member: money(evaluation.memberSubtotal),
                saving: money(evaluation.best.saving),
                total: money(evaluation.best.total),
              })}
            </p>
          </div>
        </div>
      }
    </>
  );
}
