/** Kysely table types: the database as the code sees it. Times are timestamptz (Date). */
import type { Generated } from "kysely";
import type { TicketTables } from "../tickets/ticket-tables.js";
import type { CreatedAt, Json } from "./column-types.js";
import type {
  ClientSessionsTable,
  CouponRedemptionsTable,
  CouponUsageTable,
  DemoSeedTable,
  EventLogTable,
  EventSequencerTable,
  HoldEventsTable,
  HoldsTable,
  MemberCouponsTable,
  QuotaUsageTable,
  ReconcileRunsTable,
  SignalsTable,
  VerificationCodesTable,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
} from "./schema-feature-tables.js";

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
  /** Migration 0020: at most once a minute per key. */
  last_used_at: Date | null;
  expires_at: Date | null;
  /** A rotated key's old secret, accepted until `previous_valid_until`. */
  previous_secret_hash: string | null;
  previous_valid_until: Date | null;
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

export type * from "./schema-feature-tables.js";

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
