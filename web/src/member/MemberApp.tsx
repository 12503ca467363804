import { QueryCache, QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, type Client, createTypedClient, retryUnlessRefused } from "../common/client";
import { Loaded } from "../common/Loaded";
import { type LiveStatus, subscribeLive } from "../common/live";
import { TimelineList } from "../common/Timeline";
import { Header, LiveIndicator, Section, SignIn } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages-en";
import { BenefitList } from "./BenefitList";
import { MemberCoupons } from "./MemberCoupons";
import { MemberDiagnosis } from "./MemberDiagnosis";
import { MembershipSummary, pendingOrders } from "./MembershipSummary";
import {
  invalidate,
  keysChangedBy,
  memberKeys,
  useEntitlements,
  useNames,
  useNotices,
  usePlans,
  useProfile,
  useTimeline,
} from "./member-queries";
import { NoticeList } from "./NoticeList";
import { PlansPage } from "./PlansPage";
import { SupportPage } from "./support/SupportPage";
import type { TicketDraft } from "./support/ticket-types";

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

const SECTIONS = [
  { id: "membership", label: "member.membership" },
  { id: "plans", label: "member.plans" },
  { id: "diagnose", label: "member.diagnose" },
  { id: "coupons", label: "member.coupons" },
  { id: "notices", label: "member.notices" },
  { id: "timeline", label: "member.timeline" },
  { id: "support", label: "member.support" },
] as const satisfies readonly { id: string; label: MessageKey }[];
type SectionId = (typeof SECTIONS)[number]["id"];

/** `#coupons` → the coupons section; each section is its own route (the page shows one at a time). */
function sectionOfHash(): SectionId {
  return hashSection() ?? "membership";
}

function hashSection(): SectionId | null {
  const id = window.location.hash.replace(/^#\/?/, "").split("/")[0];
  return SECTIONS.find((s) => s.id === id)?.id ?? null;
}

function MemberCentre({ token, onSignOut }: { token: string; onSignOut: (error?: unknown) => void }) {
  const queries = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 60_000,
            refetchOnWindowFocus: false,
            retry: retryUnlessRefused,
          },
        },
        queryCache: new QueryCache({
          onError: (error) => {
            if (error instanceof ApiError && error.status === 401) onSignOut(error);
          },
        }),
      }),
    [onSignOut],
  );
  return (
    <QueryClientProvider client={queries}>
      <MemberPages token={token} onSignOut={onSignOut} />
    </QueryClientProvider>
  );
}

function MemberPages({ token, onSignOut }: { token: string; onSignOut: (error?: unknown) => void }) {
  const { t, language, setTimeZone, timeZone } = useI18n();
  const client = useMemo(() => createTypedClient(token, language), [token, language]);
  const queries = useQueryClient();
  const [live, setLive] = useState<LiveStatus>("connecting");
  const [section, setSection] = useState<SectionId>(sectionOfHash);
  const [diagnoseBenefit, setDiagnoseBenefit] = useState<string | null>(null);
  const [ticketDraft, setTicketDraft] = useState<TicketDraft | null>(null);
  useEffect(() => {
    const onHash = () => {
      setSection(sectionOfHash());
      document.getElementById("main")?.focus();
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const profile = useProfile(client);
  useEffect(() => {
    setTimeZone(profile.data?.timezone ?? null);
  }, [profile.data, setTimeZone]);
  const names = useNames(client, language);
  const entitlements = useEntitlements(client, language);
  const notices = useNotices(client, language);
  const plans = usePlans(client, language);
  // A member who holds nothing and has no order on its way lands on the plans and their rules, to
  // read before buying (a pending order's member sees it on the membership page).
  const holdsNothing =
    entitlements.data !== undefined &&
    entitlements.data.memberships.length === 0 &&
    pendingOrders(entitlements.data).length === 0;
  useEffect(() => {
    if (holdsNothing && hashSection() === null) setSection("plans");
  }, [holdsNothing]);

  useEffect(
    () =>
      subscribeLive({
        path: "/v1/me/events",
        token,
        onStatus: setLive,
        onEvent: (event) => invalidate(queries, keysChangedBy(event)),
        onReset: () => void queries.invalidateQueries({ queryKey: memberKeys.all }),
      }),
    [token, queries],
  );

  const benefitName = useCallback(
    (code: string) => names.data?.benefits.find((b) => b.code === code)?.name ?? code,
    [names.data],
  );
  const tierName = useCallback(
    (code: string) => names.data?.tiers.find((tier) => tier.code === code)?.name ?? code,
    [names.data],
  );
  const diagnose = useCallback((benefit: string) => {
    setDiagnoseBenefit(benefit);
    window.location.hash = "diagnose";
  }, []);

  const unread = notices.data?.notices.filter((n) => !n.readAt).length ?? 0;
  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  return (
    <>
      <Header title={t("member.brand")} onSignOut={() => onSignOut()}>
        <LiveIndicator status={live} />
      </Header>
      <nav className="sections" aria-label={t("member.sectionsNav")}>
        {SECTIONS.map((s) => (
          <a key={s.id} href={`#${s.id}`} aria-current={s.id === section ? "page" : undefined}>
            {t(s.label)}
            {s.id === "notices" && unread > 0 && <span className="badge warn">{unread}</span>}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {timeZone && (
          <p className="muted" data-testid="time-zone">
            {t("member.timesIn", { zone: timeZone })}
          </p>
        )}
        <Section id={section} title={t(current.label)}>
          {section === "membership" && (
            <Loaded query={entitlements}>
              {(data) => (
                <>
                  <MembershipSummary entitlements={data} client={client} tierName={tierName} />
                  <h3 id="benefits">{t("member.benefits")}</h3>
                  <BenefitList
                    benefits={data.benefits}
                    benefitName={benefitName}
                    client={client}
                    onDiagnose={diagnose}
                  />
                </>
              )}
            </Loaded>
          )}
          {section === "diagnose" && (
            <Loaded query={entitlements}>
              {(data) => (
                <MemberDiagnosis
                  client={client}
                  benefits={data.benefits.map((b) => b.benefit)}
                  benefitName={benefitName}
                  requested={diagnoseBenefit}
                  onContactSupport={(benefit, diagnosisText) => {
                    setTicketDraft({
                      benefit,
                      diagnosisText,
                      orderId: pendingOrders(data)[0]?.orderId ?? null,
                    });
                    window.location.hash = "support/new";
                  }}
                />
              )}
            </Loaded>
          )}
          {section === "plans" && <Loaded query={plans}>{(data) => <PlansPage plans={data} />}</Loaded>}
          {section === "coupons" && <MemberCoupons client={client} />}
          {section === "notices" && (
            <Loaded query={notices}>{(data) => <NoticeList notices={data.notices} client={client} />}</Loaded>
          )}
          {section === "timeline" && <MemberTimeline client={client} />}
          {section === "support" && (
            <Loaded query={entitlements}>
              {(data) => (
                <SupportPage
                  client={client}
                  draft={ticketDraft}
                  benefits={data.benefits.map((b) => b.benefit)}
                  benefitName={benefitName}
                />
              )}
            </Loaded>
          )}
        </Section>
      </main>
    </>
  );
}

function MemberTimeline({ client }: { client: Client }) {
  const timeline = useTimeline(client);
  return <Loaded query={timeline}>{(data) => <TimelineList entries={data.entries} />}</Loaded>;
}
