import type { paths } from "../../../../src/sdk/openapi-types";
import { BeforeAfter } from "../../common/BeforeAfter";
import { useI18n } from "../../i18n/i18n";
import { VersionDiffView } from "../VersionDiffView";

type PutResult = paths["/v1/catalog"]["put"]["responses"][200]["content"]["application/json"];

/** A dry run's answer for the text it checked, with both documents as JSON for the side-by-side diff. */
export interface Preview {
  forText: string;
  result: PutResult;
  before: string;
  after: string;
}

const show = (value: unknown) => (value === null || value === undefined ? "—" : JSON.stringify(value));

/**
 * What publishing would do, from `PUT /v1/catalog?dryRun=true`: the diff side by side, and the
 * impact — the tiers whose members' decisions change (with what changes and how many members), the
 * members themselves (the first the server names, each opening its console page), the notices that
 * would go out, removals with their holders and pending orders — then the publish
 * button, which asks for the removal confirmation when the server would.
 */
export function PublishPreview({
  preview,
  current,
  stale,
  publishing,
  onPublish,
}: {
  preview: Preview;
  current: number;
  stale: boolean;
  publishing: boolean;
  onPublish: (confirm: boolean) => void;
}) {
  const { t, tc, language, formatTime } = useI18n();
  const { result } = preview;
  const impact = result.impact;
  const tiers = Object.entries(impact?.tiers ?? {});
  // What members will read, in the console's language: the plans page's sentences, before → after.
  const explained = result.explained?.[language === "zh-CN" ? "zh-CN" : "en"];
  const sentences = explained
    ? [...explained.benefits, ...explained.coupons, ...explained.tiers.flatMap((x) => x.plans)]
    : [];
  const tierLines = (explained?.tiers ?? []).flatMap((tier) => [
    ...tier.added.map((b) => t("plans.tierAdded", { tier: tier.name, benefit: b })),
    ...tier.withdrawn.map((b) => t("plans.tierWithdrawn", { tier: tier.name, benefit: b })),
  ]);
  return (
    <section className="preview" data-testid="publish-preview" aria-labelledby="preview-title">
      <h3 id="preview-title">{t("preview.title", { version: result.version })}</h3>
      <p>{t("preview.effective", { time: formatTime(result.effectiveFrom) })}</p>
      {explained && (
        <div data-testid="preview-sentences">
          <h4>{t("preview.sentencesTitle")}</h4>
          {sentences.length === 0 && tierLines.length === 0 ? (
            <p>{t("preview.noSentenceChanges")}</p>
          ) : (
            <>
              {tierLines.map((line) => (
                <p key={line}>{line}</p>
              ))}
              <BeforeAfter items={sentences} />
            </>
          )}
        </div>
      )}
      {impact && (
        <div data-testid="preview-impact">
          <p>
            {t("preview.summary", {
              members: impact.members,
              notices: impact.notices,
              pendingOrders: impact.pendingOrders,
            })}
          </p>
          {tiers.length === 0 ? (
            <p>{t("preview.noDecisionChanges")}</p>
          ) : (
            <table>
              <caption>{t("preview.tiersCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("preview.tier")}</th>
                  <th scope="col">{t("preview.members")}</th>
                  <th scope="col">{t("preview.changes")}</th>
                </tr>
              </thead>
              <tbody>
                {tiers.map(([tier, change]) => (
                  <tr key={tier} data-tier={tier}>
                    <td>
                      <code>{tier}</code>
                    </td>
                    <td>{t("preview.memberCount", { count: change.members })}</td>
                    <td>
                      <ul>
                        {change.withdrawn.map((b) => (
                          <li key={`w-${b}`}>{t("preview.withdrawn", { benefit: b })}</li>
                        ))}
                        {change.added.map((b) => (
                          <li key={`a-${b}`}>{t("preview.added", { benefit: b })}</li>
                        ))}
                        {change.changed.flatMap((c) =>
                          c.fields.map((f) => (
                            <li key={`c-${c.benefit}-${f.field}`}>
                              <code>
                                {c.benefit}.{f.field}
                              </code>{" "}
                              {show(f.before)} → {show(f.after)}
                            </li>
                          )),
                        )}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {impact.affectedMembers.length > 0 && (
            <>
              <h4>{t("preview.affectedTitle")}</h4>
              <ul className="inline-list" data-testid="preview-members">
                {impact.affectedMembers.map((id) => (
                  <li key={id}>
                    <a href={`#members/${encodeURIComponent(id)}`} translate="no">
                      {id}
                    </a>
                  </li>
                ))}
              </ul>
              {impact.members > impact.affectedMembers.length && (
                <p className="muted">
                  {t("preview.affectedMore", {
                    count: impact.members - impact.affectedMembers.length,
                    listed: impact.affectedMembers.length,
                  })}
                </p>
              )}
            </>
          )}
          {impact.removed.length > 0 && (
            <>
              <h4>{t("preview.removedTitle")}</h4>
              <ul data-testid="preview-removed">
                {impact.removed.map((r) => (
                  <li key={`${r.kind}-${r.code}`}>
                    {t("preview.removed", {
                      kind: tc("removalKind", r.kind),
                      code: r.code,
                      members: r.members,
                      pendingOrders: r.pendingOrders,
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <VersionDiffView
        diff={result.diff}
        before={preview.before}
        after={preview.after}
        beforeLabel={t("history.versionN", { version: current })}
        afterLabel={t("preview.draft", { version: result.version })}
      />
      {stale ? (
        <p className="error" role="status">
          {t("preview.stale")}
        </p>
      ) : impact?.needsConfirmation ? (
        <div className="error">
          <p>{t("preview.needsConfirmation")}</p>
          <button type="button" disabled={publishing} onClick={() => onPublish(true)}>
            {t("catalog.removeAnyway")}
          </button>
        </div>
      ) : (
        <button type="button" disabled={publishing} onClick={() => onPublish(false)}>
          {t("catalog.publish")}
        </button>
      )}
    </section>
  );
}
