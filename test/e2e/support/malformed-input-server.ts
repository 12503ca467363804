import { sql } from "kysely";
import { expect } from "vitest";
import { DEMO_CATALOG } from "../../../src/demo/demo-catalog.js";
import { ADMIN_KEY, TestServer } from "../../e2e-harness.js";
import type { TestEngine } from "../../test-database.js";
import { ALICE, type BodyEndpoint } from "./malformed-routes.js";
import { postSigned } from "./payment-signing.js";

type Counts = Record<string, number>;
/** Every table a request could write to. */
const TABLES = [
  "members",
  "orders",
  "payment_events",
  "catalog_versions",
  "api_keys",
  "memberships",
  "grants",
  "outbox",
  "quota_usage",
  "signals",
  "holds",
  "hold_events",
  "verification_codes",
  "timeline",
  "settings",
  "member_coupons",
  "coupon_usage",
  "coupon_redemptions",
  "webhook_endpoints",
  "webhook_deliveries",
];

/**
 * One malformed-input suite's server: the demo catalog, ALICE as a paying VIP with a member token,
 * and the row counts that show a refused request wrote nothing. `start` it in beforeAll.
 */
export class MalformedInputServer {
  server!: TestServer;
  memberToken!: string;
  paidOrder!: { orderId: string; amount: number };

  async start(engine: TestEngine): Promise<void> {
    this.server = await TestServer.start(engine);
    await this.server.putCatalog(DEMO_CATALOG);
    await this.server.createMember(ALICE, { displayName: "Alice" });
    const order = await this.server.createOrder(ALICE, "vip_month");
    expect((await this.server.pay(order.orderId, order.amount.amount)).status).toBe(200);
    this.paidOrder = { orderId: order.orderId, amount: order.amount.amount };
    this.memberToken = await this.server.memberToken(ALICE);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  request(...args: Parameters<TestServer["request"]>) {
    return this.server.request(...args);
  }

  /** The bearer for a route: ALICE's member token on her own routes, else the admin key (may do all). */
  authOf(e: { as?: "member" }): string {
    return e.as === "member" ? this.memberToken : ADMIN_KEY;
  }

  /** The bearer for a path: ALICE's member token under /v1/me/, else the admin key. */
  authForPath(path: string): string {
    return path.startsWith("/v1/me/") ? this.memberToken : ADMIN_KEY;
  }

  /** `raw` as the body of `e`, as its caller. */
  send(e: BodyEndpoint, raw: string | undefined, headers: Record<string, string> = {}) {
    return this.server.request(e.method, e.path, { raw, auth: this.authOf(e), headers });
  }

  /** Posts a payment event body signed with the right secret, however malformed the body is. */
  postSigned(raw: string, webhookId?: string) {
    return postSigned(this.server, raw, webhookId);
  }

  async counts(): Promise<Counts> {
    const selects = TABLES.map((t) => `(select count(*) from ${t})::int as ${t}`).join(", ");
    const result = await sql<Counts>`select ${sql.raw(selects)}`.execute(this.server.database.db);
    return result.rows[0];
  }

  /** Runs `send` and asserts it left every table as it was. */
  async writesNothing<T>(send: () => Promise<T>): Promise<T> {
    const before = await this.counts();
    const result = await send();
    expect(await this.counts()).toEqual(before);
    return result;
  }
}
