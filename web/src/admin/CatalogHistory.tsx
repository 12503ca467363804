import { useCallback, useState } from "react";
import type { Api } from "../common/api";
import { ErrorMessage, Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useLoad } from "./useLoad";
import { type CatalogDiff, VersionDiffView } from "./VersionDiffView";

interface VersionSummary {
  version: number;
  notice: unknown;
  effectiveFrom: string | null;
  policy: string;
  status: string;
  inForceFrom: string | null;
  createdAt: string;
}
interface VersionDiff {
  version: number;
  previous: number | null;
  diff: CatalogDiff;
}

/** Every catalog version; one opened shows what changed, field by field and as documents side by side. */
export function CatalogHistory({ api, onError }: { api: Api; onError: (e: unknown) => void }) {
  const { t, tc, formatTime, language } = useI18n();
  const noticeText = (notice: unknown) => {
    if (notice === null || notice === undefined) return "—";
    if (typeof notice === "string") return notice;
    const texts = notice as Record<string, string>;
    return texts[language] ?? texts.en ?? Object.values(texts)[0] ?? "—";
  };
  const load = useCallback(() => api.get<{ versions: VersionSummary[] }>("/v1/catalog/versions"), [api]);
  const { value, error } = useLoad(load, onError);
  const [open, setOpen] = useState<{ diff: VersionDiff; before: string; after: string } | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);

  const openVersion = async (version: number) => {
    try {
      const document = async (n: number) => {
        const {
          version: _v,
          createdAt: _c,
          ...rest
        } = await api.get<Record<string, unknown>>(`/v1/catalog/versions/${n}`);
        return JSON.stringify(rest, null, 2);
      };
      const diff = await api.get<VersionDiff>(`/v1/catalog/versions/${version}/diff`);
      const [before, after] = await Promise.all([
        diff.previous ? document(diff.previous) : Promise.resolve(""),
        document(version),
      ]);
      setOpen({ diff, before, after });
      setOpenError(null);
    } catch (e) {
      setOpenError(e);
      onError(e);
    }
  };

  return (
    <Section id="history" title={t("history.title")}>
      <ErrorMessage error={error} />
      {value && (
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
              {[...value.versions].reverse().map((v) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{tc("versionStatus", v.status)}</td>
                  <td>{formatTime(v.inForceFrom ?? v.effectiveFrom)}</td>
                  <td>{tc("policy", v.policy)}</td>
                  <td>{noticeText(v.notice)}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => openVersion(v.version)}>
                      {t("history.showDiff", { version: v.version })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorMessage error={openError} />
      {open && (
        <div data-testid="version-diff">
          <h3>
            {open.diff.previous
              ? t("history.diffTitle", { version: open.diff.version, previous: open.diff.previous })
              : t("history.firstVersion", { version: open.diff.version })}
          </h3>
          <VersionDiffView
            diff={open.diff.diff}
            before={open.before}
            after={open.after}
            beforeLabel={t("history.versionN", { version: open.diff.previous ?? "—" })}
            afterLabel={t("history.versionN", { version: open.diff.version })}
          />
        </div>
      )}
    </Section>
  );
}
