import { useI18n } from "../i18n/i18n";
import type { TimelineEntry } from "./types";

/** Every event that touched the member, newest first, with its data in a disclosure. */
export function TimelineList({ entries }: { entries: TimelineEntry[] }) {
  const { t, tc, formatTime } = useI18n();
  if (entries.length === 0) return <p>{t("timeline.empty")}</p>;
  const newestFirst = [...entries].reverse();
  return (
    <ol className="timeline" data-testid="timeline">
      {newestFirst.map((entry) => (
        <li key={entry.id}>
          <time dateTime={entry.at}>{formatTime(entry.at)}</time>{" "}
          <strong>{tc("timelineKind", entry.kind)}</strong>{" "}
          <span className="muted">
            ({tc("source", entry.source)}, #{entry.id})
          </span>
          {Object.keys(entry.data).length > 0 && (
            <details>
              <summary>{t("timeline.details")}</summary>
              <pre>{JSON.stringify(entry.data, null, 2)}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
