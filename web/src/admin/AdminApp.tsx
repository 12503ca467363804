import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, createTypedClient, retryUnlessRefused } from "../common/client";
import { ErrorMessage, Header, SignIn } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages-en";
import { CatalogHistory } from "./CatalogHistory";
import { Charts } from "./Charts";
import { MemberPage } from "./MemberPage";
import { MemberSearch } from "./MemberSearch";
import { Reconciliation } from "./Reconciliation";
import { SupportQueue } from "./SupportQueue";

// CodeMirror, YAML and the catalog's JSON Schema are most of the console's code: they load when the
// editor is opened, not with the console's first paint.
// A chunk that fails to load (the network, a deploy replacing it) says so instead of a blank panel.
const CatalogEditor = lazy(() =>
  import("./catalog/CatalogEditor").then(
    (m) => ({ default: m.CatalogEditor }),
    (error: unknown) => ({ default: () => <ChunkFailed error={error} /> }),
  ),
);

function ChunkFailed({ error }: { error: unknown }) {
  const { t } = useI18n();
  return (
    <div data-testid="load-error">
      <ErrorMessage error={error} />
      <button type="button" className="secondary" onClick={() => window.location.reload()}>
        {t("common.retry")}
      </button>
    </div>
  );
}

const KEY_STORAGE = "perkwise.operatorKey";
const TABS: { id: string; label: MessageKey }[] = [
  { id: "catalog", label: "admin.tabCatalog" },
  { id: "history", label: "admin.tabHistory" },
  { id: "members", label: "admin.tabMembers" },
  { id: "reconcile", label: "admin.tabReconcile" },
  { id: "charts", label: "admin.tabCharts" },
  { id: "support", label: "admin.tabSupport" },
];

/** `#members/demo-vip` → ["members", "demo-vip"]: the tab and, on the members tab, the member. */
function readHash(): [string, string | null] {
  const [tab, ...rest] = window.location.hash.replace(/^#/, "").split("/");
  const known = TABS.some((t) => t.id === tab) ? tab : "catalog";
  return [known, rest.length > 0 ? decodeURIComponent(rest.join("/")) : null];
}

export default function AdminApp() {
  const { t, language } = useI18n();
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY_STORAGE));
  const [signInError, setSignInError] = useState<unknown>(null);
  const [[tab, memberId], setRoute] = useState(readHash);
  useEffect(() => {
    const onHash = () => setRoute(readHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const client = useMemo(() => (key ? createTypedClient(key, language) : null), [key, language]);
  const signOut = useCallback((error?: unknown) => {
    sessionStorage.removeItem(KEY_STORAGE);
    setKey(null);
    setSignInError(error ?? null);
  }, []);
  // A wrong key is found out by the first request: back to the sign-in form with the error.
  const onError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) signOut(error);
    },
    [signOut],
  );

  const queries = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            refetchOnWindowFocus: false,
            retry: retryUnlessRefused,
          },
        },
        queryCache: new QueryCache({ onError }),
        mutationCache: new MutationCache({ onError }),
      }),
    [onError],
  );

  if (!key || !client) {
    return (
      <SignIn
        brand="admin.brand"
        error={signInError}
        title="admin.signInTitle"
        label="admin.keyLabel"
        hint="admin.keyHint"
        onSignIn={(secret) => {
          sessionStorage.setItem(KEY_STORAGE, secret);
          setKey(secret);
        }}
      />
    );
  }
  const go = (id: string) => {
    window.location.hash = id;
  };
  return (
    <QueryClientProvider client={queries}>
      <Header title={t("admin.brand")} onSignOut={() => signOut()} />
      <nav className="sections" aria-label={t("admin.tabsNav")}>
        {TABS.map((item) => (
          <button
            key={item.id}
            type="button"
            className="tab"
            aria-current={tab === item.id ? "page" : undefined}
            onClick={() => go(item.id)}
          >
            {t(item.label)}
          </button>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {tab === "catalog" && (
          <Suspense
            fallback={
              <p aria-busy="true" data-testid="loading">
                {t("common.loading")}
              </p>
            }
          >
            <CatalogEditor client={client} />
          </Suspense>
        )}
        {tab === "history" && <CatalogHistory client={client} />}
        {tab === "members" &&
          (memberId ? (
            <MemberPage client={client} apiKey={key} memberId={memberId} />
          ) : (
            <MemberSearch client={client} />
          ))}
        {tab === "reconcile" && <Reconciliation client={client} />}
        {tab === "charts" && <Charts client={client} />}
        {tab === "support" && <SupportQueue client={client} />}
      </main>
    </QueryClientProvider>
  );
}
