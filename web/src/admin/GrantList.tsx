import type { paths } from "../../../src/sdk/openapi-types";
import { useI18n } from "../i18n/i18n";

type MemberDetail = paths["/v1/members/{memberId}"]["get"]["responses"][200]["content"]["application/json"];

/**
 * Every grant with where it came from — the order that bought its membership, or the upgrade that
 * replaced one (compensation grants will read as such when they land) — and, once ended, why.
 */
export function GrantList({ member }: { member: MemberDetail }) {
  const { t, tc, formatTime } = useI18n();
  const memberships = new Map(member.memberships.map((m) => [m.id, m]));
  const orders = new Map(member.orders.map((o) => [o.orderId, o]));
  const sourceOf = (membershipId: string) => {
    const orderId = memberships.get(membershipId)?.sourceOrderId;
    const order = orderId ? orders.get(orderId) : undefined;
    return { orderId, kind: order?.upgrade ? "upgrade" : "order" };
  };
  if (member.grants.length === 0) return <p>{t("memberPage.noGrants")}</p>;
  return (
    <div className="table-wrap">
      <table data-testid="member-grants">
        <thead>
          <tr>
            <th scope="col">{t("memberPage.benefit")}</th>
            <th scope="col">{t("memberPage.grantTier")}</th>
            <th scope="col">{t("memberPage.state")}</th>
            <th scope="col">{t("memberPage.grantPeriod")}</th>
            <th scope="col">{t("memberPage.grantSource")}</th>
            <th scope="col">{t("memberPage.grantEnd")}</th>
          </tr>
        </thead>
        <tbody>
          {member.grants.map((g) => {
            const source = sourceOf(g.membershipId);
            return (
              <tr key={g.id} data-grant={g.benefit}>
                <td>{g.benefit}</td>
                <td>{g.tier}</td>
                <td>{tc("grantStatus", g.status)}</td>
                <td>
                  {formatTime(g.effectiveFrom)} → {formatTime(g.expiresAt)}
                </td>
                <td data-testid="grant-source">
                  {tc("grantSource", source.kind)} {source.orderId && <code>{source.orderId}</code>}
                </td>
                <td data-testid="grant-end">
                  {g.endReason ? `${tc("endReason", g.endReason)} · ${formatTime(g.endedAt)}` : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
