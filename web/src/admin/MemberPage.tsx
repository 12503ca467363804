import { useCallback, useEffect, useState } from "react";
import type { Api } from "../common/api";
import { type LiveStatus, subscribeLive } from "../common/live";
import { TimelineList } from "../common/Timeline";
import type { Entitlements, Hold, TimelineEntry } from "../common/types";
import { ErrorMessage, LiveIndicator, Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { HoldsPanel } from "./HoldsPanel";
import { DecisionTry, DiagnoseTry } from "./MemberTools";

interface MemberDetail {
  memberId: string;
  displayName: string | null;
  locale: string | null;
  timezone: string;
  entitlementsVersion: number;
  orders: {
    orderId: string;
    plan: string;
    status: string;
    createdAt: string;
    amount: { amount: number; currency: string };
  }[];
  holds: Hold[];
}

interface PageData {
  detail: MemberDetail;
  entitlements: Entitlements;
  timeline: TimelineEntry[];
}

/** One member for support: state, decisions tried live, diagnosis, holds, timeline; updated live. */
export function MemberPage({
  api,
  apiKey,
  memberId,
  onError,
}: {
  api: Api;
  apiKey: string;
  memberId: string;
  onError: (e: unknown) => void;
}) {
  const { t, tc, formatTime } = useI18n();
  const [data, setData] = useState<PageData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveStatus>("connecting");
  const path = encodeURIComponent(memberId);

  const load = useCallback(async () => {
    try {
      const [detail, entitlements, timeline] = await Promise.all([
        api.get<MemberDetail>(`/v1/members/${path}`),
        api.get<Entitlements>(`/v1/members/${path}/entitlements`),
        api.get<{ entries: TimelineEntry[] }>(`/v1/members/${path}/timeline`),
      ]);
      setData({ detail, entitlements, timeline: timeline.entries });
      setError(null);
    } catch (e) {
      setError(e);
      onError(e);
    }
  }, [api, path, onError]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(
    () =>
      subscribeLive({
        path: `/v1/events?members=${path}`,
        token: apiKey,
        onStatus: setLive,
        onEvent: () => void load(),
        onReset: () => void load(),
      }),
    [apiKey, path, load],
  );

  const benefits = data?.entitlements.benefits.map((b) => b.benefit) ?? [];
  return (
    <>
      <p>
        <a href="#members">{t("memberPage.back")}</a>
      </p>
      <Section id="member" title={t("memberPage.title", { id: memberId })}>
        <LiveIndicator status={live} />
        <ErrorMessage error={error} />
        {data && (
          <>
            <p>
              {data.detail.displayName ?? "—"} · {data.detail.locale ?? "—"} · {data.detail.timezone} ·{" "}
              {t("members.version", { version: data.detail.entitlementsVersion })}
            </p>
            <h3>{t("member.membership")}</h3>
            <ul>
              {data.entitlements.memberships.map((m) => (
                <li key={m.id}>
                  {m.tier} · {tc("membershipStatus", m.status)} · {formatTime(m.startsAt)} →{" "}
                  {formatTime(m.expiresAt)} · <code>{m.sourceOrderId}</code>
                </li>
              ))}
            </ul>
            <h3>{t("memberPage.orders")}</h3>
            <ul>
              {data.detail.orders.map((o) => (
                <li key={o.orderId}>
                  <code>{o.orderId}</code> · {o.plan} · {o.status} · {formatTime(o.createdAt)}
                </li>
              ))}
            </ul>
            <h3>{t("member.benefits")}</h3>
            <div className="table-wrap">
              <table data-testid="member-benefits">
                <thead>
                  <tr>
                    <th scope="col">{t("memberPage.benefit")}</th>
                    <th scope="col">{t("memberPage.state")}</th>
                    <th scope="col">{t("memberPage.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.entitlements.benefits.map((b) => (
                    <tr key={b.benefit}>
                      <td>{b.benefit}</td>
                      <td>{tc("state", b.state)}</td>
                      <td>
                        {b.reasons.map((r) => (
                          <div key={r.code}>
                            <code>{r.code}</code> {r.message}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Section>
      {data && (
        <>
          <Section id="decide" title={t("memberPage.tryDecision")}>
            <DecisionTry api={api} memberId={memberId} benefits={benefits} />
          </Section>
          <Section id="diagnose" title={t("member.diagnose")}>
            <DiagnoseTry api={api} memberId={memberId} benefits={benefits} />
          </Section>
          <Section id="holds" title={t("memberPage.holds")}>
            <HoldsPanel
              api={api}
              memberId={memberId}
              holds={data.detail.holds}
              benefits={benefits}
              onChanged={load}
            />
          </Section>
          <Section id="timeline" title={t("member.timeline")}>
            <TimelineList entries={data.timeline} />
          </Section>
        </>
      )}
    </>
  );
}
