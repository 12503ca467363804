import type { CatalogVersionDiff } from "../common/types";
import { useI18n } from "../i18n/i18n";
import { sideBySide } from "./line-diff";

/** What a version changes, as `GET /v1/catalog/versions/{n}/diff` and a dry run answer it. */
export type CatalogDiff = CatalogVersionDiff["diff"];

const show = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value));
const CONTEXT_LINES = 2;

/**
 * What a version changes: field by field (before | after), then the two documents side by side
 * (changed lines with a little context). The history shows a stored version; the editor's preview
 * the one a publish would create.
 */
export function VersionDiffView({
  diff,
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  diff: CatalogDiff;
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
}) {
  const { t, tc } = useI18n();
  const rows = sideBySide(before, after);
  const near = (i: number) =>
    rows.slice(Math.max(0, i - CONTEXT_LINES), i + CONTEXT_LINES + 1).some((r) => r.changed);
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("history.what")}</th>
            <th scope="col">{t("history.before")}</th>
            <th scope="col">{t("history.after")}</th>
          </tr>
        </thead>
        <tbody>
          {(["tiers", "benefits", "coupons"] as const).flatMap((section) =>
            (diff[section] ?? []).flatMap((c) =>
              c.fields && c.fields.length > 0
                ? c.fields.map((f) => (
                    <tr key={`${section}/${c.code}/${f.path}`}>
                      <td>
                        <code>
                          {section}/{c.code}.{f.path}
                        </code>
                      </td>
                      <td className="before">{show(f.before)}</td>
                      <td className="after">{show(f.after)}</td>
                    </tr>
                  ))
                : [
                    <tr key={`${section}/${c.code}`}>
                      <td>
                        <code>
                          {section}/{c.code}
                        </code>
                      </td>
                      <td className="before">{c.change === "removed" ? tc("change", c.change) : "—"}</td>
                      <td className="after">{c.change === "removed" ? "—" : tc("change", c.change)}</td>
                    </tr>,
                  ],
            ),
          )}
        </tbody>
      </table>
      <h3>{t("history.documents")}</h3>
      <div className="table-wrap">
        <table className="diff-table">
          <thead>
            <tr>
              <th scope="col">{beforeLabel}</th>
              <th scope="col">{afterLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) =>
              near(i) ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the aligned documents
                <tr key={i}>
                  <td className={row.changed && row.before !== null ? "before" : ""}>
                    <pre>{row.before ?? ""}</pre>
                  </td>
                  <td className={row.changed && row.after !== null ? "after" : ""}>
                    <pre>{row.after ?? ""}</pre>
                  </td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
