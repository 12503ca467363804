import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, createApi } from "../common/api";
import { type LiveStatus, subscribeLive } from "../common/live";
import { TimelineList } from "../common/Timeline";
import type { CatalogNames, Entitlements, Hold, Notice, TimelineEntry } from "../common/types";
import { ErrorMessage, Header, LiveIndicator, Section, SignIn } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { BenefitList } from "./BenefitList";
import { MemberCoupons } from "./MemberCoupons";
import { MemberDiagnosis } from "./MemberDiagnosis";
import { MembershipSummary } from "./MembershipSummary";
import { NoticeList } from "./NoticeList";

const TOKEN_KEY = "perkwise.memberToken";

/** The token from a sign-in link (`/?token=…`), moved out of the address bar into this browser. */
function initialToken(): string | null {
  const url = new URL(window.location.href);
  const fromLink = url.searchParams.get("token");
  if (fromLink) {
    localStorage.setItem(TOKEN_KEY, fromLink);
    url.searchParams.delete("token");
    window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
    return fromLink;
  }
  return localStorage.getItem(TOKEN_KEY);
}

export function MemberApp() {
  const [token, setToken] = useState<string | null>(initialToken);
  const [signInError, setSignInError] = useState<unknown>(null);
  const signOut = useCallback((error?: unknown) => {
    localStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setSignInError(error ?? null);
  }, []);
  if (!token) {
    return (
      <SignIn
        brand="member.brand"
        error={signInError}
        title="member.signInTitle"
        label="member.tokenLabel"
        hint="member.tokenHint"
        onSignIn={(secret) => {
          localStorage.setItem(TOKEN_KEY, secret);
          setToken(secret);
        }}
      />
    );
  }
  return <MemberCentre token={token} onSignOut={signOut} />;
}

interface MemberData {
  entitlements: Entitlements;
  names: CatalogNames | null;
  notices: Notice[];
  timeline: TimelineEntry[];
  holds: Hold[];
}

function MemberCentre({ token, onSignOut }: { token: string; onSignOut: (error?: unknown) => void }) {
  const { t, language } = useI18n();
  const api = useMemo(() => createApi(token, language), [token, language]);
  const [data, setData] = useState<MemberData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveStatus>("connecting");
  const [diagnoseBenefit, setDiagnoseBenefit] = useState<string | null>(null);
  // Bumped on every live event, so the coupons section re-evaluates its cart too.
  const [generation, setGeneration] = useState(0);

  const load = useCallback(async () => {
    try {
      const [entitlements, names, notices, timeline, holds] = await Promise.all([
        api.get<Entitlements>("/v1/me/entitlements"),
        api.get<CatalogNames>("/v1/me/catalog").catch(() => null),
        api.get<{ notices: Notice[] }>("/v1/me/notices"),
        api.get<{ entries: TimelineEntry[] }>("/v1/me/timeline"),
        api.get<{ holds: Hold[] }>("/v1/me/holds"),
      ]);
      setData({
        entitlements,
        names,
        notices: notices.notices,
        timeline: timeline.entries,
        holds: holds.holds,
      });
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) onSignOut(e);
      else setError(e);
    }
  }, [api, onSignOut]);

  useEffect(() => {
    void load();
  }, [load]);
  // After an action in the page (claiming the coupon pack, say): the coupons are read again too.
  const reloadAll = useCallback(() => {
    setGeneration((g) => g + 1);
    return load();
  }, [load]);

  useEffect(
    () =>
      subscribeLive({
        path: "/v1/me/events",
        token,
        onStatus: setLive,
        onEvent: reloadAll,
        onReset: reloadAll,
      }),
    [token, reloadAll],
  );

  const benefitName = useCallback(
    (code: string) => data?.names?.benefits.find((b) => b.code === code)?.name ?? code,
    [data],
  );
  const tierName = useCallback(
    (code: string) => data?.names?.tiers.find((tier) => tier.code === code)?.name ?? code,
    [data],
  );
  const diagnose = useCallback((benefit: string) => {
    setDiagnoseBenefit(benefit);
    document.getElementById("diagnose-title")?.focus();
  }, []);

  const unread = data?.notices.filter((n) => !n.readAt).length ?? 0;
  return (
    <>
      <Header title={t("member.brand")} onSignOut={() => onSignOut()}>
        <LiveIndicator status={live} />
      </Header>
      <nav className="sections" aria-label={t("member.sectionsNav")}>
        <a href="#membership">{t("member.membership")}</a>
        <a href="#benefits">{t("member.benefits")}</a>
        <a href="#diagnose">{t("member.diagnose")}</a>
        <a href="#notices">
          {t("member.notices")}
          {unread > 0 && <span className="badge warn">{unread}</span>}
        </a>
        <a href="#coupons">{t("member.coupons")}</a>
        <a href="#timeline">{t("member.timeline")}</a>
      </nav>
      <main id="main" tabIndex={-1}>
        <ErrorMessage error={error} />
        {!data ? (
          <p aria-busy="true">{t("common.loading")}</p>
        ) : (
          <>
            <Section id="membership" title={t("member.membership")}>
              <MembershipSummary
                entitlements={data.entitlements}
                holds={data.holds}
                tierName={tierName}
                api={api}
                onChanged={load}
              />
            </Section>
            <Section id="benefits" title={t("member.benefits")}>
              <BenefitList
                benefits={data.entitlements.benefits}
                benefitName={benefitName}
                api={api}
                onChanged={reloadAll}
                onDiagnose={diagnose}
              />
            </Section>
            <Section id="diagnose" title={t("member.diagnose")}>
              <MemberDiagnosis
                api={api}
                benefits={data.entitlements.benefits.map((b) => b.benefit)}
                benefitName={benefitName}
                requested={diagnoseBenefit}
              />
            </Section>
            <Section id="notices" title={t("member.notices")}>
              <NoticeList notices={data.notices} api={api} onChanged={load} />
            </Section>
            <Section id="coupons" title={t("member.coupons")}>
              <MemberCoupons api={api} generation={generation} />
            </Section>
            <Section id="timeline" title={t("member.timeline")}>
              <TimelineList entries={data.timeline} />
            </Section>
          </>
        )}
      </main>
    </>
  );
}
