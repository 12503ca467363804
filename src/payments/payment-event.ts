/**
 * The internal payment events every intake produces — the Standard Webhooks endpoint and each
 * provider's adapter — and the one application path (payment-service.ts) applies. Adapters only
 * verify a notification and translate it into one of these.
 */

/** An amount in minor units; a null currency is the order's (a bare integer on the generic endpoint). */
export interface EventMoney {
  amount: number;
  currency: string | null;
}

export type PaymentEvent =
  | {
      type: "payment.succeeded";
      orderId: string;
      amount: EventMoney;
      /** ISO-8601 with an offset; default: when it was received. */
      paidAt?: string;
      /** The provider's transaction id. */
      providerRef?: string;
    }
  | {
      type: "payment.refunded";
      orderId: string;
      /**
       * The cumulative refunded amount (Alipay's refund_fee), or with `increment` this refund's own
       * part, added to what the order has had refunded (WeChat Pay notifies each refund on its own).
       */
      amount: EventMoney;
      increment?: true;
      /** A full refund ends what the order bought; a partial one is recorded on the order. */
      full: boolean;
      providerRef?: string;
    }
  | {
      /** A refund the provider could not complete (WeChat Pay REFUND.ABNORMAL, REFUND.CLOSED): an alert on the timeline. */
      type: "payment.refund_failed";
      orderId: string;
      /** The provider's refund status, e.g. ABNORMAL. */
      status: string;
      providerRef?: string;
    }
  | {
      /** The provider closed the order unpaid: it is no longer awaited. */
      type: "payment.closed";
      orderId: string;
      providerRef?: string;
    }
  | {
      /**
       * The payer disputed the payment with their bank (a chargeback): the member's benefits are held
       * (an agent-only `chargeback` hold) until the dispute is closed.
       */
      type: "payment.disputed";
      orderId: string;
      /** The disputed amount, when the provider says (evidence only: the whole order is held). */
      amount?: EventMoney;
      /** The provider's dispute id. */
      disputeId?: string;
      reason?: string;
      providerRef?: string;
    }
  | {
      /** The dispute was decided: won, the hold is cleared; lost, the order is revoked like a full refund. */
      type: "payment.dispute_closed";
      orderId: string;
      won: boolean;
      disputeId?: string;
      providerRef?: string;
    };

/** Which intake an event came through. */
export type PaymentProvider = "standard_webhooks" | "alipay" | "wechatpay" | "stripe";

/** A provider's notification as it arrived, stored beside the payment event it became (the evidence). */
export interface ReceivedNotification {
  provider: PaymentProvider;
  /** The raw body, exactly as received. */
  body: string;
  /** The request's headers that matter to it (content type, user agent, signatures). */
  headers: Record<string, string>;
  /** How the notification was verified (only verified notifications are stored). */
  verification: { verified: true; method: string; detail?: string };
  /** What an encrypted notification said, decrypted (WeChat Pay's resource). */
  decrypted?: unknown;
}

/**
 * A verified notification translated for the application path: the event, the idempotency key a
 * redelivery repeats (provider + transaction + state) and the notification itself.
 */
export interface TranslatedNotification {
  key: string;
  event: PaymentEvent;
  notification: ReceivedNotification;
  /**
   * The provider's payment references to find the order by when the notification names none (a
   * Stripe dispute carries its charge and PaymentIntent, not the order): `event.orderId` is then
   * empty, and the order whose `providerRef` is one of these takes it. No such order: not ours.
   */
  orderByProviderRef?: string[];
}
