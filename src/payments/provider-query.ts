import type { PaymentEvent, PaymentProvider, ReceivedNotification } from "./payment-event.js";
/** The order a query asks about. */
export interface QueriedOrder {
  orderId: string;
  amount: number;
  currency: string;
  createdAt: Date;
  providerRef: string | null;
}
/** What a provider said about an order. */
export type QueryAnswer =
  | {
      kind: "paid";
      event: Extract<PaymentEvent, { type: "payment.succeeded" }>;
      answer: ReceivedNotification;
    }
  | { kind: "not_paid"; status: string; answer: ReceivedNotification }
  | { kind: "unknown"; reason: string };
/** Asks one provider what became of an order (its query API); never throws for an expected answer. */
export interface ProviderQuery {
  readonly provider: PaymentProvider;
  query(order: QueriedOrder, nowMs: number): Promise<QueryAnswer>;
}
