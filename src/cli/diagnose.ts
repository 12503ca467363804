import type { ContextInput } from "../decisions/decision-service.js";
import type { Diagnosis, EvidenceItem } from "../engine/diagnosis-types.js";
import { withApp } from "./open.js";

const MARK = { pass: "✓", fail: "✗", skip: "–" } as const;

function evidenceLine(e: EvidenceItem): string {
  const what = e.type === "timeline" ? `${e.type} #${e.id} ${String(e.data.kind)}` : `${e.type} ${e.id}`;
  return `${what}${e.at ? ` (${e.at})` : ""}`;
}

/** The diagnosis as a member or an agent reads it: the checklist, then each finding with its fix and evidence. */
export function describeDiagnosis(d: Diagnosis): string {
  const lines = [
    `${d.memberId} / ${d.benefit}: ${d.verdict === "working" ? "WORKING" : "NOT WORKING"}`,
    "self-check:",
  ];
  for (const s of d.steps) lines.push(`  ${MARK[s.status]} ${s.step.padEnd(18)} ${s.detail}`);
  if (d.findings.length === 0) lines.push("findings: none");
  else lines.push("findings (most actionable first):");
  d.findings.forEach((f, i) => {
    const until = f.remedy.until ? ` until ${f.remedy.until}` : "";
    lines.push(`  ${i + 1}. ${f.code} (${f.cause}): ${f.message}`);
    lines.push(
      `     fix: ${f.remedy.actor} → ${f.remedy.action}${until}${f.autoFixed ? " (done automatically)" : ""}`,
    );
    for (const e of f.evidence) lines.push(`     evidence: ${evidenceLine(e)}`);
  });
  return lines.join("\n");
}

/** `perkwise diagnose <member> <benefit> [--context JSON] [--order ID] [--locale en|zh-CN] [--json]`. */
export async function diagnoseCommand(
  memberId: string,
  benefit: string,
  options: { context?: string; order?: string; locale?: string; json: boolean },
) {
  let context: ContextInput | undefined;
  if (options.context) {
    try {
      context = JSON.parse(options.context);
    } catch {
      throw new Error('--context must be JSON, e.g. \'{"product":{"category":"books"}}\'');
    }
  }
  const locale = options.locale === "en" || options.locale === "zh-CN" ? options.locale : null;
  const diagnosis = await withApp((app) =>
    app.diagnosis.diagnose(memberId, { benefit, context, orderId: options.order }, locale, true),
  );
  console.log(options.json ? JSON.stringify(diagnosis, null, 2) : describeDiagnosis(diagnosis));
  return diagnosis.verdict === "working" ? 0 : 1;
}
