import { type RawBuilder, sql } from "kysely";
import { Webhook } from "standardwebhooks";
import { type App, type AppOptions, createApp } from "../src/app.js";
import { ManualClock } from "../src/clock.js";
import type { DatabaseHandle } from "../src/db/database.js";
import { HttpServerPart } from "../src/http/http-server-part.js";
import { buildServer } from "../src/http/server.js";
import type { Server } from "../src/http/server-types.js";
import { createResponseCheck } from "./support/response-check.js";
import type { TestEngine } from "./test-database.js";

export const ADMIN_KEY = "pwadmin_test_admin_key_0123456789";
export const PAYMENT_SECRET = `whsec_${Buffer.from("perkwise-test-payment-secret-32b").toString("base64")}`;
/** 2026-11-24T02:00:00Z: a fixed "now" so dates in assertions are exact. */
export const T0 = Date.parse("2026-11-24T02:00:00Z");

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A real Perkwise server on 127.0.0.1 over a real database, with a clock the test controls. */
export class TestServer {
  private constructor(
    readonly app: App,
    readonly server: Server,
    readonly database: DatabaseHandle,
    readonly clock: ManualClock,
    readonly baseUrl: string,
    private readonly ownsDatabase = true,
  ) {}

  static async start(
    engine: TestEngine,
    now = T0,
    options: Partial<Omit<AppOptions, "database" | "clock">> = {},
  ): Promise<TestServer> {
    return TestServer.startOn(await engine.open(), new ManualClock(now), options);
  }

  /**
   * A server over a database it does not open: a second node beside another server on the same
   * database (`ownsDatabase` false: `stop` leaves the database to the first).
   */
  static async startOn(
    database: DatabaseHandle,
    clock: ManualClock,
    options: { ownsDatabase?: boolean } & Partial<AppOptions> = {},
  ): Promise<TestServer> {
    const { ownsDatabase = true, ...appOptions } = options;
    const app = createApp({
      database,
      clock,
      adminKey: ADMIN_KEY,
      paymentSecret: PAYMENT_SECRET,
      ...appOptions,
    });
    const server = await buildServer(app, { logLevel: "silent", checkResponse: createResponseCheck() });
    const http = new HttpServerPart(server, { port: 0, host: "127.0.0.1" });
    await app.start({ after: [http] });
    return new TestServer(app, server, database, clock, http.url, ownsDatabase);
  }

  /** Stops the server and the app (repairs that decisions asked for reach the database first). */
  /** Rows of `table` (matching `where`): what a test checks was written, or was not. */
  async countRows(table: string, where: RawBuilder<unknown> = sql`true`): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(this.database.db);
    return rows[0].n;
  }

  async stop(): Promise<void> {
    await this.app.stop();
    if (this.ownsDatabase) await this.database.close();
  }

  /** One HTTP request; `auth` is a bearer secret (default: the admin key), or null for none. */
  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; auth?: string | null; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? ADMIN_KEY : options.auth;
    if (auth) headers.authorization = `Bearer ${auth}`;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, headers: response.headers };
  }

  async putCatalog(document: unknown) {
    const res = await this.request("PUT", "/v1/catalog", { body: document });
    if (res.status !== 200) throw new Error(`catalog rejected: ${JSON.stringify(res.body)}`);
    return res.body as { version: number };
  }

  async createMember(memberId: string, body: Record<string, unknown> = {}) {
    const res = await this.request("PUT", `/v1/members/${memberId}`, { body });
    if (res.status >= 300) throw new Error(`member rejected: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async createOrder(memberId: string, plan: string, channel?: string) {
    const res = await this.request("POST", "/v1/orders", { body: { memberId, plan, channel } });
    if (res.status !== 201) throw new Error(`order rejected: ${JSON.stringify(res.body)}`);
    return res.body as { orderId: string; amount: { amount: number; currency: string } };
  }

  async memberToken(memberId: string): Promise<string> {
    const res = await this.request("POST", `/v1/members/${memberId}/token`, { body: {} });
    if (res.status !== 200) throw new Error(`token rejected: ${JSON.stringify(res.body)}`);
    return res.body.token;
  }

  /** Posts a payment event signed by the `standardwebhooks` package, as a real provider would. */
  async postPaymentEvent(
    event: { type: string; data: Record<string, unknown> },
    options: { webhookId?: string; timestampMs?: number; secret?: string; signature?: string } = {},
  ) {
    const raw = JSON.stringify(event);
    const webhookId = options.webhookId ?? `msg_${Math.random().toString(36).slice(2)}`;
    const at = new Date(options.timestampMs ?? this.clock.now());
    const signature =
      options.signature ?? new Webhook(options.secret ?? PAYMENT_SECRET).sign(webhookId, at, raw);
    return this.request("POST", "/v1/payments/events", {
      raw,
      auth: null,
      headers: {
        "webhook-id": webhookId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
    });
  }

  async pay(orderId: string, amount: number, webhookId?: string) {
    return this.postPaymentEvent({ type: "payment.succeeded", data: { orderId, amount } }, { webhookId });
  }

  async refund(orderId: string, amount: number, webhookId?: string) {
    return this.postPaymentEvent({ type: "payment.refunded", data: { orderId, amount } }, { webhookId });
  }

  async check(memberId: string, benefit: string, context?: unknown, headers?: Record<string, string>) {
    const res = await this.request("POST", "/v1/check", { body: { memberId, benefit, context }, headers });
    if (res.status !== 200) throw new Error(`check failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
