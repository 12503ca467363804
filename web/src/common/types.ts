/**
 * The shapes of the API answers the UI reads (only the fields it reads). Written by hand because these
 * routes declare no response schema yet; once they do, derive them as api-types.ts does.
 */

export interface Remedy {
  actor: "member" | "platform" | "support";
  action: string;
  until?: string;
}

export interface Reason {
  code: string;
  cause: string | null;
  message: string;
  details: Record<string, unknown>;
  remedy: Remedy;
}

export interface Quota {
  limit: number;
  unit: string;
  used: number;
  remaining: number;
  period: string | null;
  resetAt: string | null;
}

export interface BenefitEntry {
  benefit: string;
  kind: string;
  state: string;
  effectiveFrom: string | null;
  expiresAt: string | null;
  reasons: Reason[];
  quota?: Quota;
}

export interface MembershipEntry {
  id: string;
  tier: string;
  status: string;
  startsAt: string;
  expiresAt: string;
  graceEndsAt: string | null;
  sourceOrderId: string;
}

export interface Entitlements {
  memberId: string;
  entitlementsVersion: number;
  memberships: MembershipEntry[];
  scheduledChanges: { tier?: string; startsAt?: string; [key: string]: unknown }[];
  benefits: BenefitEntry[];
}

export interface CatalogNames {
  version: number;
  tiers: { code: string; name: string; rank: number }[];
  benefits: { code: string; name: string; kind: string; description: string | null }[];
  coupons: { code: string; name: string }[];
}

export interface Notice {
  id: string;
  catalogVersion: number;
  createdAt: string;
  appliesFrom: string;
  policy: string;
  title: string;
  message: string;
  readAt: string | null;
}

export interface TimelineEntry {
  id: string;
  at: string;
  kind: string;
  source: string;
  data: Record<string, unknown>;
}

export interface Hold {
  holdId: string;
  reason: string;
  benefits: string[] | null;
  status: string;
  clearMethod: string;
  placedAt: string;
  clearedAt: string | null;
  note?: string | null;
  placedBy?: string;
}

export interface DiagnosisStep {
  step: string;
  status: "pass" | "fail" | "skip";
  detail: string;
}

export interface Finding {
  cause: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
  evidence: { type: string; id: string; at: string | null; data: Record<string, unknown> }[];
  remedy: Remedy;
  autoFixed?: boolean;
}

export interface Diagnosis {
  memberId: string;
  benefit: string;
  allowed: boolean;
  verdict: "working" | "not_working";
  causes: string[];
  findings: Finding[];
  steps: DiagnosisStep[];
}

export interface Decision {
  allowed: boolean;
  reasons: Reason[];
  entitlementsVersion: number;
}

export interface Money {
  amount: number;
  currency: string;
}
