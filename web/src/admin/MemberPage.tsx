import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Client } from "../common/client";
import { Loaded } from "../common/Loaded";
import { type LiveStatus, subscribeLive } from "../common/live";
import { formatMoney } from "../common/money";
import { TimelineList } from "../common/Timeline";
import { LiveIndicator, Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import {
  invalidateMemberPage,
  memberPageKeys,
  useMemberDetail,
  useMemberEntitlements,
  useMemberTimeline,
} from "./admin-queries";
import { DecisionTry } from "./DecisionTry";
import { GrantList } from "./GrantList";
import { HoldsPanel } from "./HoldsPanel";
import { DiagnoseTry } from "./MemberTools";

/**
 * One member for support: state, grants with their source, decisions tried live, diagnosis, holds,
 * timeline. Followed live (`GET /v1/events?members=…`): an event refetches only the parts it changed.
 */
export function MemberPage({
  client,
  apiKey,
  memberId,
}: {
  client: Client;
  apiKey: string;
  memberId: string;
}) {
  const { t, tc, formatTime, language } = useI18n();
  const queries = useQueryClient();
  const [live, setLive] = useState<LiveStatus>("connecting");
  const detail = useMemberDetail(client, memberId);
  const entitlements = useMemberEntitlements(client, memberId, language);
  const timeline = useMemberTimeline(client, memberId);

  useEffect(
    () =>
      subscribeLive({
        path: `/v1/events?members=${encodeURIComponent(memberId)}`,
        token: apiKey,
        onStatus: setLive,
        onEvent: (event) => invalidateMemberPage(queries, memberId, event.type),
        onReset: () => void queries.invalidateQueries({ queryKey: memberPageKeys.all(memberId) }),
      }),
    [apiKey, memberId, queries],
  );

  const benefits = entitlements.data?.benefits.map((b) => b.benefit) ?? [];
  return (
    <>
      <p>
        <a href="#members">{t("memberPage.back")}</a>
      </p>
      <Section id="member" title={t("memberPage.title", { id: memberId })}>
        <LiveIndicator status={live} />
        <Loaded query={detail}>
          {(member) => (
            <>
              <p>
                {/* A name as the member gave it: data, not the page's prose. */}
                <bdi translate="no">{member.displayName ?? "—"}</bdi> · {member.locale ?? "—"} ·{" "}
                {member.timezone} · {t("members.version", { version: member.entitlementsVersion })}
              </p>
              <h3>{t("member.membership")}</h3>
              <ul>
                {member.memberships.map((m) => (
                  <li key={m.id}>
                    {m.tier} · {tc("membershipStatus", m.status)} · {formatTime(m.startsAt)} →{" "}
                    {formatTime(m.expiresAt)} · <code>{m.sourceOrderId}</code>
                  </li>
                ))}
              </ul>
              <h3>{t("memberPage.grants")}</h3>
              <GrantList member={member} />
              <h3>{t("memberPage.orders")}</h3>
              <ul>
                {member.orders.map((o) => (
                  <li key={o.orderId}>
                    <code>{o.orderId}</code> · {o.plan} · {formatMoney(o.amount, language)} ·{" "}
                    {tc("orderStatus", o.status)}
                    {o.status !== "refunded" && o.refunded.amount > 0 && (
                      <> ({t("memberPage.refundedSoFar", { amount: formatMoney(o.refunded, language) })})</>
                    )}{" "}
                    · {formatTime(o.createdAt)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Loaded>
        <h3>{t("member.benefits")}</h3>
        {detail.data && (
          <p className="muted">{t("memberPage.reasonsLanguage", { locale: detail.data.locale ?? "—" })}</p>
        )}
        <Loaded query={entitlements}>
          {(snapshot) => (
            // The console sends its language and an operator's choice wins: the reasons read as the page.
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
                  {snapshot.benefits.map((b) => (
                    <tr key={b.benefit}>
                      <td>{b.benefit}</td>
                      <td>{tc("state", b.state)}</td>
                      <td>
                        {b.reasons.map((r) => (
                          <div key={r.code}>
                            <code>{r.code}</code> <span data-testid="reason-message">{r.message}</span>
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Loaded>
      </Section>
      {benefits.length > 0 && (
        <>
          <Section id="decide" title={t("memberPage.tryDecision")}>
            <DecisionTry client={client} memberId={memberId} benefits={benefits} />
          </Section>
          <Section id="diagnose" title={t("member.diagnose")}>
            <DiagnoseTry client={client} memberId={memberId} benefits={benefits} />
          </Section>
        </>
      )}
      <Section id="holds" title={t("memberPage.holds")}>
        <Loaded query={detail}>
          {(member) => (
            <HoldsPanel client={client} memberId={memberId} holds={member.holds} benefits={benefits} />
          )}
        </Loaded>
      </Section>
      <Section id="timeline" title={t("member.timeline")}>
        <Loaded query={timeline}>{(data) => <TimelineList entries={data.entries} />}</Loaded>
      </Section>
    </>
  );
}
