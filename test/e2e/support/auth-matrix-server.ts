import { expect } from "vitest";
import { DEMO_CATALOG } from "../../../src/demo/demo-catalog.js";
import { ADMIN_KEY, TestServer } from "../../e2e-harness.js";
import type { TestEngine } from "../../test-database.js";
import type { Endpoint, Fixture, Principal } from "./auth-endpoints.js";
import { signedHeaders } from "./payment-signing.js";

/**
 * One authorization suite's server, and a secret for every kind of caller: service and support API
 * keys, and member tokens for Alice (a paying VIP) and Bob (nothing). `start` it in beforeAll.
 */
export class AuthMatrixServer implements Fixture {
  server!: TestServer;
  readonly memberA = "auth-alice";
  readonly memberB = "auth-bob";
  orderA = { orderId: "", amount: 0 };
  holdA = "";
  holdB = "";
  webhookEndpoint = "";
  webhookEndpointToDelete = "";
  apiKeyToRotate = "";
  apiKeyToRevoke = "";
  ticketA = "";
  attachmentA = "";
  ticketB = "";
  readonly secrets: Record<Principal, string | null> = {
    none: null,
    garbage: "not-a-real-credential",
    admin: ADMIN_KEY,
    service: null,
    support: null,
    member_self: null,
    member_other: null,
  };
  /** Every API key made, in full: none may ever be shown again or stored in clear. */
  readonly createdKeys: string[] = [];
  private webhookCounter = 0;

  async start(engine: TestEngine): Promise<void> {
    this.server = await TestServer.start(engine);
    await this.server.putCatalog(DEMO_CATALOG);
    for (const role of ["service", "support"] as const) {
      const res = await this.server.request("POST", "/v1/api-keys", { body: { name: `${role} key`, role } });
      expect(res.status).toBe(201);
      this.secrets[role] = res.body.key;
      this.createdKeys.push(res.body.key);
    }
    for (const key of ["apiKeyToRotate", "apiKeyToRevoke"] as const) {
      const res = await this.server.request("POST", "/v1/api-keys", { body: { name: key, role: "service" } });
      expect(res.status).toBe(201);
      this[key] = res.body.id;
      this.createdKeys.push(res.body.key);
    }
    await this.server.createMember(this.memberA, { displayName: "Alice", locale: "en" });
    await this.server.createMember(this.memberB, { displayName: "Bob", locale: "en" });
    // Alice is a paying VIP, Bob has nothing: their entitlements differ visibly.
    const order = await this.server.createOrder(this.memberA, "vip_month");
    expect((await this.server.pay(order.orderId, order.amount.amount)).status).toBe(200);
    this.orderA = { orderId: order.orderId, amount: order.amount.amount };
    // Alice's hold covers vip_zone only: her ad_free stays allowed, which the /v1/me tests rely on.
    const holdA = await this.server.request("POST", `/v1/members/${this.memberA}/holds`, {
      body: { reason: "shared_device", benefits: ["vip_zone"] },
    });
    expect(holdA.status).toBe(201);
    this.holdA = holdA.body.holdId;
    const holdB = await this.server.request("POST", `/v1/members/${this.memberB}/holds`, {
      body: { reason: "manual" },
    });
    expect(holdB.status).toBe(201);
    this.holdB = holdB.body.holdId;
    for (const key of ["webhookEndpoint", "webhookEndpointToDelete"] as const) {
      const endpoint = await this.server.request("POST", "/v1/webhook-endpoints", {
        body: { url: `https://example.com/${key}`, events: ["*"] },
      });
      expect(endpoint.status).toBe(201);
      this[key] = endpoint.body.id;
    }
    this.secrets.member_self = await this.server.memberToken(this.memberA);
    this.secrets.member_other = await this.server.memberToken(this.memberB);
    await this.openTickets();
  }

  /** Alice's ticket with a screenshot, and Bob's, opened as each member. */
  private async openTickets(): Promise<void> {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "base64",
    );
    const alice = await this.server.request("POST", "/v1/me/tickets", {
      auth: this.secrets.member_self,
      body: {
        benefit: "ad_free",
        expected: "no ads",
        actual: "ads",
        attachments: [{ filename: "shot.png", content: png.toString("base64") }],
      },
    });
    expect(alice.status).toBe(201);
    this.ticketA = alice.body.ticketId;
    this.attachmentA = alice.body.messages[0].attachments[0].attachmentId;
    const bob = await this.server.request("POST", "/v1/me/tickets", {
      auth: this.secrets.member_other,
      body: { expected: "an answer", actual: "none" },
    });
    expect(bob.status).toBe(201);
    this.ticketB = bob.body.ticketId;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  request(...args: Parameters<TestServer["request"]>) {
    return this.server.request(...args);
  }

  /** A webhook id never used before on this server. */
  nextWebhookId(prefix: string): string {
    return `${prefix}${++this.webhookCounter}`;
  }

  /** Calls `endpoint` as `principal`; a payment event is signed unless the headers carry a signature. */
  call(endpoint: Endpoint, principal: Principal, extraHeaders: Record<string, string> = {}) {
    const body = endpoint.body?.(this);
    const raw = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { ...extraHeaders };
    if (endpoint.who === "signature" && raw !== undefined && !("webhook-signature" in extraHeaders)) {
      Object.assign(headers, signedHeaders(raw, this.server.clock.now(), this.nextWebhookId("msg_matrix_")));
    }
    if (endpoint.stream) return this.openStream(endpoint.path(this), this.secrets[principal]);
    return this.server.request(endpoint.method, endpoint.path(this), {
      raw,
      auth: this.secrets[principal],
      headers,
    });
  }

  /** Opens an event stream: its status and, when refused, its error body; an open stream is closed at once. */
  private async openStream(path: string, auth: string | null) {
    const controller = new AbortController();
    const response = await fetch(`${this.server.baseUrl}${path}`, {
      headers: auth ? { authorization: `Bearer ${auth}` } : {},
      signal: controller.signal,
    });
    const streaming = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
    const body = streaming ? null : await response.json();
    controller.abort();
    return { status: response.status, body, headers: response.headers };
  }
}

/** A JWT claiming to be a member with `alg: none`: must never be accepted. */
export function unsignedJwt(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub, iss: "perkwise", aud: "perkwise-member" })}.`;
}
