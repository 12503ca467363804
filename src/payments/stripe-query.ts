import Stripe from "stripe";
import type { StripeConfig } from "../config.js";
import { moneyFromStripe } from "./money.js";
import type { ReceivedNotification } from "./payment-event.js";
import type { ProviderQuery, QueriedOrder, QueryAnswer } from "./provider-query.js";
import { ORDER_METADATA_KEY } from "./stripe-adapter.js";

/** Our order ids: nothing in them needs escaping in Stripe's search query language. */
const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The Stripe client's options pointing it at `baseUrl` (Stripe's API, or a local simulator). */
export function stripeClientOptions(baseUrl: string): Stripe.StripeConfig {
  const url = new URL(baseUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return {
    host: url.hostname,
    port: url.port === "" ? (protocol === "http" ? 80 : 443) : Number(url.port),
    protocol,
    // A query is retried by its job; one quick retry covers a dropped connection.
    maxNetworkRetries: 1,
    timeout: 10_000,
    telemetry: false,
  };
}

/**
 * Asks Stripe what became of an order whose webhook never came, through the `stripe` package:
 *
 * - an order whose provider reference is known: that PaymentIntent (`pi_…`) or Checkout Session
 *   (`cs_…`) is retrieved;
 * - otherwise PaymentIntents are searched by `metadata['perkwise_order_id']`. Checkout Sessions
 *   cannot be found by our order: their list filters by customer, PaymentIntent, payment link,
 *   status, subscription and creation time only — not by metadata or client_reference_id — so the
 *   order id must be on the PaymentIntent (`payment_intent_data.metadata.perkwise_order_id` when
 *   the session is created). Search is eventually consistent (Stripe: usually under a minute),
 *   which a query made minutes after the order can live with.
 *
 * A succeeded PaymentIntent (or a session with payment_status `paid`) is `paid`; anything else is
 * `not_paid` with Stripe's status (`not_found` when there is no PaymentIntent); a failed request
 * is `unknown`. Stripe's answer is kept as the evidence.
 */
export class StripeQuery implements ProviderQuery {
  readonly provider = "stripe" as const;
  private readonly client: Stripe;

  constructor(private readonly config: StripeConfig & { apiKey: string }) {
    this.client = new Stripe(config.apiKey, stripeClientOptions(config.baseUrl));
  }

  async query(order: QueriedOrder, _nowMs: number): Promise<QueryAnswer> {
    if (!ORDER_ID.test(order.orderId)) return { kind: "unknown", reason: "not one of our order ids" };
    try {
      if (order.providerRef?.startsWith("cs_")) return await this.session(order, order.providerRef);
      if (order.providerRef?.startsWith("pi_")) {
        const intent = await this.client.paymentIntents.retrieve(order.providerRef);
        return this.intentAnswer(order, intent, `GET /v1/payment_intents/${intent.id}`);
      }
      const query = `metadata['${ORDER_METADATA_KEY}']:'${order.orderId}'`;
      const found = await this.client.paymentIntents.search({ query, limit: 10 });
      const request = `GET /v1/payment_intents/search?query=${query}`;
      const intents = found.data.filter((i) => i.metadata?.[ORDER_METADATA_KEY] === order.orderId);
      // One order may have had several attempts (a new session each): a succeeded one is the answer.
      const intent = intents.find((i) => i.status === "succeeded") ?? newest(intents);
      if (!intent) return { kind: "not_paid", status: "not_found", answer: this.evidence(found, request) };
      return this.intentAnswer(order, intent, request, found);
    } catch (error) {
      const reason =
        error instanceof Stripe.errors.StripeError
          ? `${error.type}: ${error.message}`
          : `${(error as Error).message ?? error}`;
      return { kind: "unknown", reason: `Stripe did not answer: ${reason}` };
    }
  }

  private async session(order: QueriedOrder, id: string): Promise<QueryAnswer> {
    const session = await this.client.checkout.sessions.retrieve(id);
    const answer = this.evidence(session, `GET /v1/checkout/sessions/${id}`);
    const named = session.metadata?.[ORDER_METADATA_KEY] ?? session.client_reference_id;
    if (named !== order.orderId) return { kind: "unknown", reason: `session ${id} is for another order` };
    if (session.payment_status !== "paid")
      return { kind: "not_paid", status: session.payment_status, answer };
    const amount = moneyFromStripe(session.amount_total, session.currency);
    if (!amount) return { kind: "unknown", reason: `session ${id} has no amount` };
    const providerRef =
      typeof session.payment_intent === "string"
        ? session.payment_intent
        : (session.payment_intent?.id ?? id);
    return {
      kind: "paid",
      event: { type: "payment.succeeded", orderId: order.orderId, amount, providerRef },
      answer,
    };
  }

  private intentAnswer(
    order: QueriedOrder,
    intent: Stripe.PaymentIntent,
    request: string,
    response: unknown = intent,
  ): QueryAnswer {
    const answer = this.evidence(response, request);
    if (intent.metadata?.[ORDER_METADATA_KEY] !== order.orderId)
      return { kind: "unknown", reason: `PaymentIntent ${intent.id} is for another order` };
    if (intent.status !== "succeeded") return { kind: "not_paid", status: intent.status, answer };
    const amount = moneyFromStripe(intent.amount_received, intent.currency);
    if (!amount) return { kind: "unknown", reason: `PaymentIntent ${intent.id} has no amount` };
    return {
      kind: "paid",
      event: { type: "payment.succeeded", orderId: order.orderId, amount, providerRef: intent.id },
      answer,
    };
  }

  /** Stripe's answer as received (the SDK's parsed JSON, without its response bookkeeping). */
  private evidence(response: unknown, request: string): ReceivedNotification {
    const { lastResponse, ...body } = response as { lastResponse?: { requestId?: string } };
    const requestId = lastResponse?.requestId;
    return {
      provider: "stripe",
      body: JSON.stringify(body),
      headers: requestId ? { "request-id": requestId } : {},
      verification: {
        verified: true,
        method: "Stripe API answer to our secret key",
        detail: `${request} at ${this.config.baseUrl}`,
      },
    };
  }
}

function newest(intents: Stripe.PaymentIntent[]): Stripe.PaymentIntent | undefined {
  return [...intents].sort((a, b) => b.created - a.created)[0];
}
