/**
 * Names for the API answers the UI reads, all derived from the types generated from the server's
 * OpenAPI document: nothing here is copied by hand, so a changed route schema fails the web build.
 */
import type { Answer } from "./api-types";

export type Entitlements = Answer<"/v1/me/entitlements", "get">;
export type BenefitEntry = Entitlements["benefits"][number];
export type MembershipEntry = Entitlements["memberships"][number];
export type Reason = BenefitEntry["reasons"][number];
export type Remedy = Reason["remedy"];
export type Quota = NonNullable<BenefitEntry["quota"]>;
export type CatalogNames = Answer<"/v1/me/catalog", "get">;
export type Profile = Answer<"/v1/me/profile", "get">;
export type Notice = Answer<"/v1/me/notices", "get">["notices"][number];
export type TimelineEntry = Answer<"/v1/me/timeline", "get">["entries"][number];
export type Hold = Answer<"/v1/me/holds", "get">["holds"][number];
export type Diagnosis = Extract<Answer<"/v1/me/diagnose", "post">, { benefit: string }>;
export type Finding = Diagnosis["findings"][number];
export type DiagnosisStep = Diagnosis["steps"][number];
export type Decision = Answer<"/v1/check", "post">;
export type Money = Answer<"/v1/me/checkout/evaluate", "post">["listSubtotal"];

// The console's reads.
export type MemberSummary = Answer<"/v1/members", "get">["members"][number];
export type MemberDetail = Answer<"/v1/members/{memberId}", "get">;
export type MemberHold = MemberDetail["holds"][number];
export type CatalogVersionSummary = Answer<"/v1/catalog/versions", "get">["versions"][number];
export type CatalogRecord = Answer<"/v1/catalog/versions/{n}", "get">;
export type CatalogVersionDiff = Answer<"/v1/catalog/versions/{n}/diff", "get">;
export type CatalogPutResult = Answer<"/v1/catalog", "put">;
export type Stats = Answer<"/v1/stats", "get">;
export type ReconcileRun = Answer<"/v1/reconcile/runs", "get">["runs"][number];
export type MemberPlans = Answer<"/v1/me/plans", "get">;
export type PlanOffer = MemberPlans["offers"][number];
export type PlanChange = MemberPlans["changes"][number];
export type ExplainedChange = PlanChange["benefits"][number];
