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
      /** The cumulative refunded amount (not this refund's part). */
      amount: EventMoney;
      /** A full refund ends what the order bought; a partial one is recorded on the order. */
      full: boolean;
      providerRef?: string;
    }
  | {
      /** The provider closed the order unpaid: it is no longer awaited. */
      type: "payment.closed";
      orderId: string;
      providerRef?: string;
    };

/** Which intake an event came through. */
export type PaymentProvider = "standard_webhooks" | "alipay";

/** A provider's notification as it arrived, stored beside the payment event it became (the evidence). */
export interface ReceivedNotification {
  provider: PaymentProvider;
  /** The raw body, exactly as received. */
  body: string;
  /** The request's headers that matter to it (content type, user agent, signatures). */
  headers: Record<string, string>;
  /** How the notification was verified (only verified notifications are stored). */
  verification: { verified: true; method: string; detail?: string };
}

/**
 * A verified notification translated for the application path: the event, the idempotency key a
 * redelivery repeats (provider + transaction + state) and the notification itself.
 */
export interface TranslatedNotification {
  key: string;
  event: PaymentEvent;
  notification: ReceivedNotification;
}
