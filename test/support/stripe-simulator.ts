import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { StripeConfig } from "../../src/config.js";
import {
  stripeCharge,
  stripeCheckoutSession,
  stripeEventBody,
  stripeObjectId,
  stripeSignatureHeader,
} from "../../src/demo/provider-signers.js";
import { moneyToStripe } from "../../src/payments/money.js";

/** When the simulated payments happen: 5 s after the tests' T0 (2026-11-24T02:00:00Z). */
export const PAID_AT_S = Math.floor(Date.parse("2026-11-24T02:00:05Z") / 1000);

/** A stable Stripe-looking id (`pi_…`, `ch_…`) for a seed: the same order always has the same objects. */
export const stripeId = stripeObjectId;

export interface SignOptions {
  /** Unix seconds; default the clock's now. */
  timestampS?: number;
  secret?: string;
}

/** A payment the simulated account holds: a PaymentIntent (and its Checkout Session and charge). */
export interface SimulatedPayment {
  orderId: string;
  /** ISO minor units and the ISO code ("JPY"); written as Stripe writes them. */
  amount: number;
  currency: string;
  /** PaymentIntent status: succeeded, processing, requires_payment_method, canceled … */
  status: string;
  /** Unix seconds. */
  created: number;
  /** Whether the PaymentIntent carries our metadata (payment_intent_data.metadata); default true. */
  metadata?: boolean;
}

/**
 * A local Stripe: events signed exactly as Stripe signs webhooks — `Stripe-Signature: t=<unix>,v1=<hex>`
 * with v1 = HMAC-SHA256 of `<t>.<raw body>` under the endpoint's whole `whsec_…` secret (stripe's own
 * generateTestHeaderString agrees: src/payments/stripe-adapter.test.ts) — and the few API calls a
 * query makes (PaymentIntents search and retrieve, Checkout Session retrieve), served on a local
 * port with Stripe's JSON shapes and its bearer-key check.
 */
export class StripeSimulator {
  readonly webhookSecret = `whsec_${randomBytes(24).toString("base64")}`;
  readonly apiKey = `sk_test_${randomBytes(12).toString("hex")}`;
  private server: Server | null = null;
  private baseUrl = "http://127.0.0.1:9";
  /** What the query API answers, by PaymentIntent id. */
  readonly payments = new Map<string, SimulatedPayment>();
  /** Requests the API received, for the tests to see what was asked. */
  readonly requests: { method: string; path: string; authorization: string | undefined }[] = [];

  config(): StripeConfig {
    return { webhookSecret: this.webhookSecret, apiKey: this.apiKey, baseUrl: this.baseUrl };
  }

  environment(): Record<string, string> {
    return {
      PERKWISE_STRIPE_WEBHOOK_SECRET: this.webhookSecret,
      PERKWISE_STRIPE_API_KEY: this.apiKey,
      PERKWISE_STRIPE_BASE_URL: this.baseUrl,
    };
  }

  /** The Stripe-Signature header Stripe sends with `payload`. */
  signature(payload: string, nowMs: number, options: SignOptions = {}): string {
    const t = options.timestampS ?? Math.floor(nowMs / 1000);
    return stripeSignatureHeader(payload, options.secret ?? this.webhookSecret, t);
  }

  /** An event as Stripe lays it out (a snapshot event of the endpoint's API version). */
  event(type: string, object: Record<string, unknown>, options: { id?: string; createdS?: number } = {}) {
    return stripeEventBody(type, object, { createdS: PAID_AT_S, ...options });
  }

  /** A Checkout Session (mode payment) for an order; amount in ISO minor units. */
  checkoutSession(
    f: { orderId: string; amount: number; currency: string; paymentStatus?: string },
    via: "metadata" | "client_reference_id" = "metadata",
  ): Record<string, unknown> {
    return stripeCheckoutSession(f, via);
  }

  invoice(f: { orderId: string; amount: number; currency: string }): Record<string, unknown> {
    const money = moneyToStripe({ amount: f.amount, currency: f.currency });
    return {
      id: stripeId("in", f.orderId),
      object: "invoice",
      amount_due: money.amount,
      amount_paid: money.amount,
      amount_remaining: 0,
      billing_reason: "subscription_create",
      currency: money.currency,
      metadata: {},
      parent: {
        type: "subscription_details",
        subscription_details: {
          metadata: { perkwise_order_id: f.orderId },
          subscription: stripeId("sub", f.orderId),
        },
      },
      status: "paid",
    };
  }

  /** The order's charge; `metadata: false` leaves it without our metadata (found by its PaymentIntent). */
  charge(f: {
    orderId: string;
    amount: number;
    currency: string;
    refunded: number;
    metadata?: boolean;
  }): Record<string, unknown> {
    return stripeCharge(f);
  }

  /** A dispute of the order's charge: Stripe sends its charge and PaymentIntent ids, and no order metadata. */
  dispute(f: { orderId: string; amount: number; currency: string; status: string }): Record<string, unknown> {
    const money = moneyToStripe({ amount: f.amount, currency: f.currency });
    return {
      id: stripeId("dp", f.orderId),
      object: "dispute",
      amount: money.amount,
      charge: stripeId("ch", f.orderId),
      currency: money.currency,
      evidence_details: { due_by: 1797206400, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: stripeId("pi", f.orderId),
      reason: "fraudulent",
      status: f.status,
    };
  }

  async post(baseUrl: string, payload: string, signature: string | null) {
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    };
    if (signature !== null) headers["stripe-signature"] = signature;
    const response = await fetch(`${baseUrl}/v1/payments/stripe/webhook`, {
      method: "POST",
      headers,
      body: payload,
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? null : JSON.parse(text) };
  }

  /** Serves the query API on a local port; config() and environment() then point at it. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The PaymentIntent object Stripe answers for a payment. */
  paymentIntent(id: string, p: SimulatedPayment): Record<string, unknown> {
    const money = moneyToStripe({ amount: p.amount, currency: p.currency });
    return {
      id,
      object: "payment_intent",
      amount: money.amount,
      amount_received: p.status === "succeeded" ? money.amount : 0,
      currency: money.currency,
      created: p.created,
      latest_charge: p.status === "succeeded" ? stripeId("ch", p.orderId) : null,
      livemode: false,
      metadata: p.metadata === false ? {} : { perkwise_order_id: p.orderId },
      status: p.status,
    };
  }

  private handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://localhost");
    this.requests.push({
      method: request.method ?? "",
      path: url.pathname + url.search,
      authorization: request.headers.authorization,
    });
    const send = (status: number, body: unknown) => {
      response.writeHead(status, {
        "content-type": "application/json",
        "request-id": `req_${randomBytes(7).toString("hex")}`,
      });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${this.apiKey}`)
      return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
    if (request.method === "GET" && url.pathname === "/v1/payment_intents/search") {
      const query = url.searchParams.get("query") ?? "";
      // Only the query Perkwise asks: metadata['perkwise_order_id']:'<order>' (and a created bound).
      const match = /^metadata\['perkwise_order_id'\]:'([^']*)'(?: AND created>=(\d+))?$/.exec(query);
      if (!match)
        return send(400, {
          error: { type: "invalid_request_error", message: `unsupported query: ${query}` },
        });
      const [, orderId, since] = match;
      const data = [...this.payments]
        .filter(([, p]) => p.orderId === orderId && p.metadata !== false && p.created >= Number(since ?? 0))
        .sort(([, a], [, b]) => b.created - a.created)
        .map(([id, p]) => this.paymentIntent(id, p));
      return send(200, {
        object: "search_result",
        data,
        has_more: false,
        next_page: null,
        url: "/v1/payment_intents/search",
      });
    }
    const intent = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (request.method === "GET" && intent) {
      const p = this.payments.get(intent[1]);
      if (!p)
        return send(404, {
          error: {
            type: "invalid_request_error",
            code: "resource_missing",
            message: `No such payment_intent: '${intent[1]}'`,
          },
        });
      return send(200, this.paymentIntent(intent[1], p));
    }
    const session = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (request.method === "GET" && session) {
      const found = [...this.payments].find(([, p]) => stripeId("cs_test", p.orderId) === session[1]);
      if (!found)
        return send(404, {
          error: {
            type: "invalid_request_error",
            code: "resource_missing",
            message: `No such checkout.session: '${session[1]}'`,
          },
        });
      const [intentId, p] = found;
      return send(200, {
        ...this.checkoutSession({ ...p, paymentStatus: p.status === "succeeded" ? "paid" : "unpaid" }),
        payment_intent: intentId,
      });
    }
    return send(404, {
      error: {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${request.method}: ${url.pathname})`,
      },
    });
  }
}
