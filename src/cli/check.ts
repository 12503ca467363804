import type { ContextInput } from "../decisions/decision-service.js";
import type { Decision } from "../engine/engine-types.js";
import { withApp } from "./open.js";

/** The decision in words, one reason a line, with the remedy. */
export function describeDecision(decision: Decision): string {
  const head = `${decision.memberId} / ${decision.benefit}: ${decision.allowed ? "ALLOWED" : "DENIED"}`;
  const reasons = decision.reasons.map((r) => {
    const until = r.remedy.until ? ` until ${r.remedy.until}` : "";
    return `  - ${r.code}${r.cause ? ` (${r.cause})` : ""}: ${r.message}\n    next step: ${r.remedy.actor} → ${r.remedy.action}${until}`;
  });
  return [head, ...reasons].join("\n");
}

/** `perkwise check <member> <benefit> [--context json] [--locale en|zh-CN]`. */
export async function check(
  memberId: string,
  benefit: string,
  contextJson: string | undefined,
  locale: string | undefined,
) {
  let context: ContextInput | undefined;
  if (contextJson) {
    try {
      context = JSON.parse(contextJson);
    } catch {
      throw new Error('--context must be JSON, e.g. \'{"channel":"official_app"}\'');
    }
  }
  const decision = await withApp((app) =>
    app.decisions.check(
      { memberId, benefit, context },
      locale === "en" || locale === "zh-CN" ? locale : null,
      true,
    ),
  );
  console.log(describeDecision(decision));
  console.log(JSON.stringify(decision, null, 2));
  return decision.allowed ? 0 : 1;
}
