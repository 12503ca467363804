import type { TimelineView } from "../timeline/timeline-service.js";
import { withApp } from "./open.js";

/** One line per entry: time, what happened, who caused it, and its data. */
export function describeTimeline(view: TimelineView): string {
  if (view.entries.length === 0) return `${view.memberId}: nothing has happened yet`;
  const lines = view.entries.map((e) => {
    const { diff, ...data } = e.data;
    const changed = diff ? ` (changed: ${JSON.stringify(diff)})` : "";
    return `${e.at}  ${e.kind.padEnd(22)} ${e.source.padEnd(16)} ${JSON.stringify(data)}${changed}`;
  });
  return [`${view.memberId}: ${view.entries.length} entries`, ...lines].join("\n");
}

/** `perkwise timeline <member> [--json]`. */
export async function timeline(memberId: string, json: boolean) {
  const view = await withApp((app) => app.timeline.forMember(memberId));
  console.log(json ? JSON.stringify(view, null, 2) : describeTimeline(view));
  return 0;
}
