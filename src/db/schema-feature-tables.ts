/** Kysely table types of the features added after the first schema (quotas onwards); `Database` is in schema.ts. */
import type { Generated } from "kysely";
import type { CreatedAt, Json } from "./column-types.js";

/** One usage request of a quota, by idempotency key: its outcome and the answer a repeat gets. */
export interface QuotaUsageTable {
  member_id: string;
  idempotency_key: string;
  grant_id: string | null;
  benefit_code: string;
  amount: number;
  outcome: string;
  status: number | null; // unwritten since migration 0014
  response: Json<unknown>;
  at: Date;
  created_at: CreatedAt;
}

export interface ClientSessionsTable {
  /** bigserial: drivers return it as a string. */
  id: Generated<string>;
  member_id: string;
  platform: string;
  version: string;
  entitlements_version: number;
  reported_at: Date;
  created_at: CreatedAt;
}

/** A risk signal the platform reported: a login or a purchase. */
export interface SignalsTable {
  /** bigserial: drivers return it as a string. */
  id: Generated<string>;
  member_id: string;
  type: string;
  device_id: string | null;
  ip: string | null;
  country: string | null;
  city: string | null;
  channel: string | null;
  at: Date;
}

/** A risk hold on a member: all benefits (benefits null) or the listed ones. */
export interface HoldsTable {
  id: string;
  member_id: string;
  reason: string;
  benefits: Json<string[]> | null;
  status: string;
  clear_method: string;
  note: string | null;
  placed_by: string;
  placed_at: Date;
  cleared_by: string | null;
  cleared_at: Date | null;
  clear_note: string | null;
  details: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

/** A hold's audit trail. */
export interface HoldEventsTable {
  /** bigserial: drivers return it as a string. */
  id: Generated<string>;
  hold_id: string;
  member_id: string;
  kind: string;
  actor: string;
  at: Date;
  data: Json<Record<string, unknown>>;
}

/** The one-time code of a hold's identity verification, and its brute-force counters. */
export interface VerificationCodesTable {
  hold_id: string;
  member_id: string;
  code_hash: string | null;
  expires_at: Date | null;
  requested_at: Date;
  attempts: Generated<number>;
  locked_until: Date | null;
}

/** One reconciliation run: counts per drift kind and the first findings. */
export interface ReconcileRunsTable {
  id: string;
  trigger: string;
  fix: boolean;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  members_scanned: number;
  found: number;
  repaired: number;
  counts: Json<unknown>;
  findings: Json<unknown>;
  error: string | null;
  created_at: CreatedAt;
}

/** A coupon issued to a member (src/coupons). */
export interface MemberCouponsTable {
  id: string;
  member_id: string;
  template: string;
  benefit_code: string | null;
  grant_id: string | null;
  period_start: Date;
  period_end: Date;
  sequence: number;
  issued_at: Date;
  claimed_at: Date | null;
  valid_from: Date;
  valid_until: Date | null;
  status: string;
  order_ref: string | null;
  updated_at: Date;
}

/** The delivered event log: outbox rows numbered after commit (src/events/event-log-store.ts). */
export interface EventLogTable {
  seq: number;
  outbox_id: number;
  member_id: string | null;
  type: string;
  data: string;
  created_at: Date;
}

/** One row: the last number given out, and how far the log was pruned. */
export interface EventSequencerTable {
  id: number;
  last_seq: number;
  pruned_through: number;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  events: Json<string[]>;
  description: string | null;
  secret: string;
  enabled: Generated<boolean>;
  disabled_at: Date | null;
  disabled_reason: string | null;
  consecutive_failures: Generated<number>;
  failing_since: Date | null;
  created_at: CreatedAt;
  updated_at: Date;
}

/** Locked and used coupons per template, by every member (the global limit). */
export interface CouponUsageTable {
  template: string;
  used: number;
}

/** Coupons locked to an order, by the platform's order reference. */
export interface CouponRedemptionsTable {
  order_ref: string;
  member_id: string;
  coupon_ids: Json<string[]>;
  status: string;
  response: Json<Record<string, unknown>>;
  locked_at: Date;
  completed_at: Date | null;
  released_at: Date | null;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_seq: number;
  event_type: string;
  body: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface WebhookAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

export interface DemoSeedTable {
  id: string;
  seeded_for: Date;
  started_at: Generated<Date>;
  completed_at: Date | null;
}
