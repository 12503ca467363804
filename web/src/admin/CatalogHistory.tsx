import { useState } from "react";
import type { Client } from "../common/client";
import { Loaded } from "../common/Loaded";
import type { CatalogRecord, CatalogVersionDiff, CatalogVersionSummary } from "../common/types";
import { Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { documentOf, useCatalogVersion, useCatalogVersions, useVersionDiff } from "./admin-queries";
import { VersionDiffView } from "./VersionDiffView";

/** Every catalog version; one opened shows what changed, field by field and as documents side by side. */
export function CatalogHistory({ client }: { client: Client }) {
  const { t, tc, formatTime, language } = useI18n();
  const versions = useCatalogVersions(client);
  const [open, setOpen] = useState<number | null>(null);
  const noticeText = (notice: CatalogVersionSummary["notice"]) => {
    if (notice === null || notice === undefined) return "—";
    if (typeof notice === "string") return notice;
    const texts = notice as Record<string, string>;
    return texts[language] ?? texts.en ?? Object.values(texts)[0] ?? "—";
  };

  return (
    <Section id="history" title={t("history.title")}>
      <Loaded query={versions}>
        {({ versions: list }) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("history.version")}</th>
                  <th scope="col">{t("history.status")}</th>
                  <th scope="col">{t("history.inForceFrom")}</th>
                  <th scope="col">{t("catalog.policy")}</th>
                  <th scope="col">{t("history.notice")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("history.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...list].reverse().map((v) => (
                  <tr key={v.version}>
                    <td>{v.version}</td>
                    <td>{tc("versionStatus", v.status)}</td>
                    <td>{formatTime(v.inForceFrom ?? v.effectiveFrom)}</td>
                    <td>{tc("policy", v.policy)}</td>
                    <td>{noticeText(v.notice)}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        aria-pressed={open === v.version}
                        onClick={() => setOpen(v.version)}
                      >
                        {t("history.showDiff", { version: v.version })}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {open !== null && <OpenVersion key={open} client={client} version={open} />}
    </Section>
  );
}

const asText = (record: CatalogRecord) => JSON.stringify(documentOf(record), null, 2);

/** One version's diff against the one before it, with both documents (each read once, then cached). */
function OpenVersion({ client, version }: { client: Client; version: number }) {
  const { t } = useI18n();
  const diff = useVersionDiff(client, version);
  const after = useCatalogVersion(client, version);
  const previous = diff.data?.previous ?? null;
  const before = useCatalogVersion(client, previous);
  return (
    <div data-testid="version-diff">
      <Loaded query={diff}>
        {(d) => (
          <>
            <h3>
              {d.previous
                ? t("history.diffTitle", { version: d.version, previous: d.previous })
                : t("history.firstVersion", { version: d.version })}
            </h3>
            <Loaded query={after}>
              {(afterRecord) =>
                d.previous === null ? (
                  <Diff diff={d} before="" after={asText(afterRecord)} />
                ) : (
                  <Loaded query={before}>
                    {(beforeRecord) => (
                      <Diff diff={d} before={asText(beforeRecord)} after={asText(afterRecord)} />
                    )}
                  </Loaded>
                )
              }
            </Loaded>
          </>
        )}
      </Loaded>
    </div>
  );
}

function Diff({ diff, before, after }: { diff: CatalogVersionDiff; before: string; after: string }) {
  const { t } = useI18n();
  return (
    <VersionDiffView
      diff={diff.diff}
      before={before}
      after={after}
      beforeLabel={t("history.versionN", { version: diff.previous ?? "—" })}
      afterLabel={t("history.versionN", { version: diff.version })}
    />
  );
}
