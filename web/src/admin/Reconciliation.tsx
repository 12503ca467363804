import type { Client } from "../common/client";
import { Loaded } from "../common/Loaded";
import { ErrorMessage, Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useReconcileRuns, useStartReconcile } from "./admin-queries";

/** Reconciliation runs with their findings; start a dry run or a repair. */
export function Reconciliation({ client }: { client: Client }) {
  const { t, tc, formatTime } = useI18n();
  const runs = useReconcileRuns(client);
  const start = useStartReconcile(client);
  const busy = start.isPending;
  return (
    <Section id="reconcile" title={t("reconcile.title")}>
      <p>{t("reconcile.intro")}</p>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => start.mutate(false)}>
          {t("reconcile.dryRun")}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => start.mutate(true)}>
          {t("reconcile.fix")}
        </button>
      </div>
      <ErrorMessage error={start.error} />
      <Loaded query={runs}>
        {({ runs: list }) =>
          list.length === 0 ? (
            <p>{t("reconcile.none")}</p>
          ) : (
            <ul className="notices" data-testid="reconcile-runs">
              {list.map((run) => {
                return (
                  <li key={run.id}>
                    <h3>
                      <code>{run.id}</code> · {run.fix ? t("reconcile.kindFix") : t("reconcile.kindDry")} ·{" "}
                      {formatTime(run.startedAt)} · {t("reconcile.by", { who: tc("trigger", run.trigger) })} ·{" "}
                      {tc("runStatus", run.status)}
                    </h3>
                    <p className="muted">{t("reconcile.scanned", { count: run.membersScanned })}</p>
                    {run.error && <p className="error">{run.error}</p>}
                    {run.found === 0 ? (
                      <p className="badge ok">{t("reconcile.clean")}</p>
                    ) : (
                      <table>
                        <thead>
                          <tr>
                            <th scope="col">{t("reconcile.drift")}</th>
                            <th scope="col">{t("reconcile.found")}</th>
                            <th scope="col">{t("reconcile.repaired")}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {run.kinds
                            .filter((k) => k.found > 0)
                            .map((k) => (
                              <tr key={k.kind}>
                                <td>{tc("drift", k.kind)}</td>
                                <td>{k.found}</td>
                                <td>{run.fix ? k.repaired : "—"}</td>
                              </tr>
                            ))}
                        </tbody>
                      </table>
                    )}
                    {run.findings.length > 0 && (
                      <details>
                        <summary>{t("reconcile.findings", { count: run.findings.length })}</summary>
                        <ul>
                          {run.findings.map((f, i) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: findings are listed in run order
                            <li key={i}>
                              <a href={`#members/${encodeURIComponent(f.memberId)}`}>{f.memberId}</a>{" "}
                              {tc("drift", f.kind)}
                              {f.repaired && (
                                <span className="badge ok"> {t("reconcile.repairedBadge")}</span>
                              )}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
    </Section>
  );
}
