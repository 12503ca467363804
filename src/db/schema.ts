/** Kysely table types: the database as the code sees it. Times are timestamptz (Date). */
import type { ColumnType, Generated } from "kysely";
import type { TicketTables } from "../tickets/ticket-tables.js";

type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** jsonb columns are written as JSON text and read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: CreatedAt;
  revoked_at: Date | null;
}

export interface CatalogVersionsTable {
  version: number;
  document: Json<unknown>;
  diff: Json<unknown>;
  notice: Json<unknown> | null;
  effective_from: Date | null;
  policy: string;
  created_at: CreatedAt;
}

export interface MembersTable {
  id: string;
  display_name: string | null;
  locale: string | null;
  timezone: string;
  entitlements_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Date;
}

export interface OrdersTable {
  id: string;
  member_id: string;
  plan_code: string;
  tier_code: string;
  amount: number;
  currency: string;
  channel: string;
  status: string;
  catalog_version: number;
  membership_id: string | null;
  period_start: Date | null;
  period_end: Date | null;
  provider_ref: string | null;
  created_at: CreatedAt;
  paid_at: Date | null;
  refunded_at: Date | null;
  /** The cumulative refunded amount, in the order's currency (migration 0015). */
  refunded_amount: Generated<number>;
  /** When the provider closed the order unpaid (status `closed`, migration 0015). */
  closed_at: Date | null;
  /** For an upgrade: the membership it replaced and the credit carried over. */
  upgrade: Json<unknown> | null;
}

export interface PaymentEventsTable {
  webhook_id: string;
  order_id: string | null;
  type: string;
  amount: number | null;
  outcome: string;
  response_status: number | null; // unwritten since migration 0014
  payload: Json<unknown>;
  received_at: CreatedAt;
  /** Receipt → grants committed, in ms, for applied events (migration 0011). */
  grant_latency_ms: number | null;
  /** The amount's currency; null on rows stored before migration 0015 (the order's currency). */
  currency: string | null;
  /** `standard_webhooks`, `alipay` … (migration 0015). */
  provider: Generated<string>;
  /** A provider's raw notification: body, headers, verification (migration 0015). */
  notification: Json<unknown> | null;
}

export interface MembershipsTable {
  id: string;
  member_id: string;
  tier_code: string;
  starts_at: Date;
  expires_at: Date;
  status: string;
  source_order_id: string;
  revoked_at: Date | null;
  /** Benefits stay on until then after expires_at; null without a grace period. */
  grace_ends_at: Date | null;
  /** When it stopped being active (expired, upgraded or revoked). */
  ended_at: Date | null;
  created_at: CreatedAt;
  updated_at: Date;
}

export interface GrantsTable {
  id: string;
  member_id: string;
  membership_id: string;
  benefit_code: string;
  tier_code: string;
  status: string;
  effective_from: Date;
  expires_at: Date;
  catalog_version: number;
  claimed_at: Date | null;
  toggled_on: Generated<boolean>;
  quota_used: Generated<number>;
  /** End of the current usage period; null without a period or before the first use in one. */
  quota_resets_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
  /** A grandfathered grant: the catalog version whose rules it keeps, until rules_until. */
  rules_version: number | null;
  rules_until: Date | null;
  created_at: CreatedAt;
  updated_at: Date;
}

export interface NoticesTable {
  id: string;
  member_id: string;
  catalog_version: number;
  created_at: CreatedAt;
  applies_from: Date;
  policy: string;
  title: Json<unknown>;
  message: Json<unknown> | null;
  changes: Json<unknown>;
  read_at: Date | null;
}

export interface OutboxTable {
  /** bigserial: drivers return it as a string. */
  id: Generated<string>;
  member_id: string | null;
  type: string;
  payload: Json<unknown>;
  created_at: CreatedAt;
  delivered_at: Date | null;
}

export interface TimelineTable {
  /** bigserial: drivers return it as a string. */
  id: Generated<string>;
  member_id: string;
  at: Date;
  kind: string;
  source: string;
  data: Json<unknown>;
  created_at: CreatedAt;
}

export interface JobsTable {
  /** bigserial: drivers return it as a string. */
  id: Generated<string>;
  kind: string;
  key: string;
  member_id: string | null;
  run_at: Date;
  payload: Json<unknown>;
  status: string;
  attempts: Generated<number>;
  max_attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

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

/** The support desk's tables are typed in their feature (tickets/ticket-tables.ts). */
export interface Database extends TicketTables {
  settings: SettingsTable;
  api_keys: ApiKeysTable;
  catalog_versions: CatalogVersionsTable;
  members: MembersTable;
  orders: OrdersTable;
  payment_events: PaymentEventsTable;
  memberships: MembershipsTable;
  grants: GrantsTable;
  outbox: OutboxTable;
  timeline: TimelineTable;
  jobs: JobsTable;
  client_sessions: ClientSessionsTable;
  quota_usage: QuotaUsageTable;
  notices: NoticesTable;
  signals: SignalsTable;
  holds: HoldsTable;
  hold_events: HoldEventsTable;
  verification_codes: VerificationCodesTable;
  reconcile_runs: ReconcileRunsTable;
  member_coupons: MemberCouponsTable;
  coupon_usage: CouponUsageTable;
  coupon_redemptions: CouponRedemptionsTable;
  event_log: EventLogTable;
  event_sequencer: EventSequencerTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  demo_seed: DemoSeedTable;
}
