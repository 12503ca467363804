/** The diagnosis response as the e2e tests read it, and small selectors over it. */
export interface Evidence {
  type: string;
  id: string;
  at: string | null;
  data: Record<string, unknown>;
}

export interface Finding {
  cause: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
  evidence: Evidence[];
  remedy: { actor: string; action: string; until?: string };
  autoFixed?: boolean;
}

export interface Diagnosis {
  memberId: string;
  benefit: string;
  allowed: boolean;
  verdict: string;
  causes: string[];
  findings: Finding[];
  steps: { step: string; status: string; detail: string }[];
}

/** The ids of a finding's evidence of one type, in order. */
export const ids = (f: Finding, type: string) => f.evidence.filter((e) => e.type === type).map((e) => e.id);
export const codes = (d: { findings: Finding[] }) => d.findings.map((f) => f.code);
export const stepStatus = (d: { steps: { step: string; status: string }[] }) =>
  Object.fromEntries(d.steps.map((s) => [s.step, s.status]));
