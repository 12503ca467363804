import type { Client } from "../common/client";
import { Loaded } from "../common/Loaded";
import type { Stats } from "../common/types";
import { Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useStats } from "./admin-queries";
import { BarChart, LineChart, type Series } from "./svg-charts";

/** One line per reason code that occurred in the range, zero where a bucket had none. */
function decisionSeries(stats: Stats): Series[] {
  const codes = Object.keys(stats.decisions.totals).sort();
  return codes.map((code) => ({
    label: `${code} (${stats.decisions.totals[code]})`,
    points: stats.decisions.series.map((b) => ({ x: Date.parse(b.start), y: b.byReason[code] ?? 0 })),
  }));
}

export function Charts({ client }: { client: Client }) {
  const { t } = useI18n();
  const stats = useStats(client);
  return (
    <Section id="charts" title={t("charts.title")}>
      <Loaded query={stats}>{(data) => <StatsCharts stats={data} />}</Loaded>
    </Section>
  );
}

function StatsCharts({ stats }: { stats: Stats }) {
  const { t, tc, formatTime } = useI18n();
  const formatX = (x: number) => formatTime(new Date(x).toISOString());
  const ms = (value: number | null) => (value === null ? "—" : `${Math.round(value * 10) / 10} ms`);
  let previousBound = 0;
  const latencyBars = stats.paymentToGrant.histogram.map((b) => {
    const label =
      b.ltMs === null
        ? t("charts.atLeast", { ms: previousBound })
        : t("charts.range", { from: previousBound, to: b.ltMs });
    if (b.ltMs !== null) previousBound = b.ltMs;
    return { label, value: b.count };
  });
  return (
    <>
      <p className="muted">
        {t("charts.period", {
          from: formatTime(stats.from),
          to: formatTime(stats.to),
          bucket: stats.bucket,
        })}
      </p>
      <div className="charts" data-testid="charts">
        <div>
          <LineChart
            title={t("charts.decisions")}
            series={decisionSeries(stats)}
            formatX={formatX}
            yLabel={t("charts.count")}
          />
          <p className="muted">{t("charts.decisionsScope", { node: stats.decisions.nodeId })}</p>
        </div>
        <div>
          <BarChart title={t("charts.latency")} data={latencyBars} />
          <p data-testid="latency-summary">
            {t("charts.latencySummary", {
              count: stats.paymentToGrant.count,
              p50: ms(stats.paymentToGrant.p50Ms),
              p95: ms(stats.paymentToGrant.p95Ms),
              p99: ms(stats.paymentToGrant.p99Ms),
              max: ms(stats.paymentToGrant.maxMs),
            })}
          </p>
        </div>
        {stats.holds.byReason.length === 0 ? (
          <p>
            {t("charts.holds")}: {t("charts.noHolds")}
          </p>
        ) : (
          <BarChart
            title={t("charts.holds")}
            data={stats.holds.byReason.map((h) => ({
              label: t("charts.holdBar", { reason: tc("holdReason", h.reason), open: h.open }),
              value: h.placed,
            }))}
          />
        )}
      </div>
    </>
  );
}
