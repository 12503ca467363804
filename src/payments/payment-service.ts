import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Webhook } from "standardwebhooks";
import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { MemberWriteScope, MemberWrites, TimelineChange } from "../members/member-writes.js";
import { activateFromOrder } from "../memberships/activate-from-order.js";
import { type ActivationResult, refundMembership } from "../memberships/membership-changes.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import { unstorableStrings } from "../unstorable-strings.js";
import type { PaymentOutcome } from "./payment-event-store.js";
import { verifyWebhook, type WebhookHeaders } from "./verify-webhook.js";

export const PaymentEventSchema = Type.Object(
  {
    type: Type.Union([Type.Literal("payment.succeeded"), Type.Literal("payment.refunded")]),
    data: Type.Object(
      {
        orderId: Type.String({ minLength: 1, maxLength: 128 }),
        amount: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
        paidAt: Type.Optional(Type.String({ minLength: 10, maxLength: 64 })),
        providerRef: Type.Optional(Type.String({ maxLength: 256 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const paymentEventCheck = TypeCompiler.Compile(PaymentEventSchema);

/** The outcomes a payment event is answered with; amount mismatches and unknown orders are errors. */
export type AnsweredPaymentOutcome =
  | Exclude<PaymentOutcome, "amount_mismatch" | "unknown_order">
  | "duplicate";

/** What a payment event did (a redelivery: `duplicate`, and nothing changed). */
export interface PaymentReceipt {
  webhookId: string;
  outcome: AnsweredPaymentOutcome;
  orderId: string | null;
  entitlementsVersion?: number;
}

/** The transaction's result: what this delivery did, or what the first delivery of its id did. */
type Received =
  | { kind: "first"; outcome: PaymentOutcome; version?: number }
  | { kind: "duplicate"; firstOutcome: PaymentOutcome; orderId: string | null };

interface ApplyResult {
  outcome: PaymentOutcome;
  memberId: string | null;
  version?: number;
}

/** Payment notifications: verified, recorded once, and applied in the same transaction as the grants. */
export class PaymentService {
  private readonly webhook: Webhook;

  constructor(
    secret: string,
    private readonly catalog: CatalogService,
    private readonly writes: MemberWrites,
    private readonly clock: Clock,
    /** Told, after the commit, how long an applied payment took from receipt to committed grants. */
    private readonly onGranted: (webhookId: string, ms: number) => void = () => {},
  ) {
    this.webhook = new Webhook(secret);
  }

  async receive(rawBody: string, headers: WebhookHeaders): Promise<PaymentReceipt> {
    const receivedAt = performance.now();
    const webhookId = verifyWebhook(this.webhook, rawBody, headers, this.clock.now());
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw new AppError("MALFORMED_BODY", "The payment event is not valid JSON.");
    }
    if (!paymentEventCheck.Check(parsed)) {
      const details = [...paymentEventCheck.Errors(parsed)].map((e) => ({
        path: e.path,
        message: e.message,
      }));
      throw new AppError("VALIDATION_FAILED", "The payment event is malformed.", details);
    }
    const event = parsed;
    const problems = unstorableStrings(event);
    if (event.data.paidAt !== undefined && parseIsoDateTime(event.data.paidAt) === null) {
      problems.push({ path: "/data/paidAt", message: "must be an ISO-8601 date-time with an offset" });
    }
    if (problems.length > 0)
      throw new AppError("VALIDATION_FAILED", "The payment event is malformed.", problems);
    const result = await this.writes.run(async (scope): Promise<Received> => {
      const now = this.clock.now();
      const fresh = await scope.stores.payments.insertIfNew({
        webhookId,
        orderId: event.data.orderId,
        type: event.type,
        amount: event.data.amount,
        outcome: "applied",
        payload: event,
        receivedAt: new Date(now),
      });
      if (!fresh) {
        // A redelivery: answer as the first delivery was answered, and change nothing.
        const first = await scope.stores.payments.get(webhookId);
        return {
          kind: "duplicate",
          firstOutcome: first?.outcome ?? "applied",
          orderId: first?.orderId ?? null,
        };
      }
      const received = (outcome: PaymentOutcome): TimelineChange => ({
        kind: event.type,
        data: { webhookId, orderId: event.data.orderId, amount: event.data.amount, outcome },
      });
      const outcome = await this.apply(scope, event, now, received);
      // An applied event is on the timeline with what it changed; any other outcome on its own.
      if (outcome.memberId && outcome.outcome !== "applied") {
        await scope.record(outcome.memberId, "payment_provider", received(outcome.outcome));
      }
      if (outcome.outcome !== "applied") await scope.stores.payments.setOutcome(webhookId, outcome.outcome);
      return { kind: "first", outcome: outcome.outcome, version: outcome.version };
    });
    const outcome = result.kind === "first" ? result.outcome : result.firstOutcome;
    if (outcome === "amount_mismatch") {
      throw new AppError(
        "AMOUNT_MISMATCH",
        "The paid amount differs from the order's amount; the event was recorded and nothing was granted.",
        [{ path: "/data/amount", message: "does not match the order", orderId: event.data.orderId }],
      );
    }
    if (outcome === "unknown_order")
      throw new AppError("ORDER_NOT_FOUND", `Order ${event.data.orderId} does not exist.`);
    if (result.kind === "duplicate") return { webhookId, outcome: "duplicate", orderId: result.orderId };
    if (outcome === "applied" && event.type === "payment.succeeded")
      this.onGranted(webhookId, performance.now() - receivedAt);
    return { webhookId, outcome, orderId: event.data.orderId, entitlementsVersion: result.version };
  }

  private async apply(
    scope: MemberWriteScope,
    event: (typeof PaymentEventSchema)["static"],
    now: number,
    received: (outcome: PaymentOutcome) => TimelineChange,
  ): Promise<ApplyResult> {
    const { stores } = scope;
    // Every writer to a member holds the member's row; a payment also holds the order's.
    const locked = await stores.orders.lockWithMember(event.data.orderId);
    if (!locked) return { outcome: "unknown_order", memberId: null };
    const { member, order } = locked;
    const unchanged = (outcome: PaymentOutcome): ApplyResult => ({ outcome, memberId: member.id });
    if (event.type === "payment.refunded") {
      if (order.status === "refunded") return unchanged("already_applied");
      const refund = await refundMembership(stores, order, now);
      await stores.orders.markRefunded(order.id, new Date(now));
      const changes: TimelineChange[] = [{ kind: "order.refunded", data: { orderId: order.id } }];
      if (refund.membershipId) {
        changes.push(
          refund.revoked
            ? {
                kind: "membership.revoked",
                data: {
                  membershipId: refund.membershipId,
                  orderId: order.id,
                  grantsEnded: refund.grantsEnded,
                },
              }
            : {
                kind: "membership.shortened",
                data: { membershipId: refund.membershipId, orderId: order.id, expiresAt: refund.expiresAt },
              },
        );
      }
      for (const membershipId of refund.reinstated ?? []) {
        changes.push({ kind: "membership.reinstated", data: { membershipId, orderId: order.id } });
      }
      const version = await scope.entitlementsChanged(
        member.id,
        "payment.refunded",
        { orderId: order.id, membershipId: refund.membershipId, revoked: refund.revoked },
        { source: "payment_provider", entries: [received("applied"), ...changes] },
      );
      return { outcome: "applied", version, memberId: member.id };
    }
    if (order.status === "paid") return unchanged("already_applied");
    if (order.status === "refunded") return unchanged("ignored_after_refund");
    if (event.data.amount !== order.amount) return unchanged("amount_mismatch");
    // Grants follow the catalog as it is when the payment is confirmed.
    const payment = {
      paidAt: event.data.paidAt ? new Date(event.data.paidAt) : new Date(now),
      providerRef: event.data.providerRef ?? null,
    };
    const current = this.catalog.require();
    const activated = await activateFromOrder(stores, this.catalog, current, member, order, payment, now);
    if (!activated) throw new Error(`plan ${order.plan} of order ${order.id} is in no catalog version`);
    const { activation, catalog } = activated;
    const membership = {
      membershipId: activation.membershipId,
      tier: activation.tier,
      orderId: order.id,
      expiresAt: activation.periodEnd.toISOString(),
      graceEndsAt: activation.graceEndsAt?.toISOString() ?? null,
    };
    const changes: TimelineChange[] = [
      { kind: "order.paid", data: { orderId: order.id, catalogVersion: catalog.version } },
      membershipChange(activation, membership),
    ];
    if (activation.grantsCreated > 0 || activation.kind !== "extended") {
      changes.push({
        kind: "grants.created",
        data: {
          membershipId: activation.membershipId,
          catalogVersion: catalog.version,
          count: activation.grantsCreated,
          grants: activation.kind === "extended" ? undefined : activation.grants,
        },
      });
    }
    const version = await scope.entitlementsChanged(
      member.id,
      "payment.succeeded",
      { ...membership, tier: catalog.plans.get(order.plan)!.tier, change: activation.kind },
      { source: "payment_provider", entries: [received("applied"), ...changes] },
    );
    return { outcome: "applied", version, memberId: member.id };
  }
}

/** The timeline entry of what a payment did to the member's memberships. */
function membershipChange(activation: ActivationResult, membership: Record<string, unknown>): TimelineChange {
  const from = activation.periodStart.toISOString();
  switch (activation.kind) {
    case "activated":
      return { kind: "membership.activated", data: { ...membership, startsAt: from } };
    case "extended":
      return { kind: "membership.extended", data: { ...membership, from } };
    case "upgraded":
      return { kind: "membership.upgraded", data: { ...membership, startsAt: from, ...activation.upgrade } };
    case "downgrade_scheduled":
      return {
        kind: "membership.downgrade_scheduled",
        data: { ...membership, startsAt: from, fromTier: activation.downgradeFrom },
      };
  }
}
