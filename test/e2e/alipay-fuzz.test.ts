/**
 * Fuzzed Alipay notifications over HTTP: whatever arrives — any text, any form, a signed form with a
 * field changed, a form signed by a stranger — is answered `fail` with a 4xx and writes nothing;
 * even forms Alipay's key really signed, with hostile values, never make a 5xx.
 */
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { AlipaySimulator } from "../support/alipay-simulator.js";
import { TEST_ENGINES } from "../test-database.js";
import { anyString, RUNS } from "./support/arbitraries.js";

const sim = new AlipaySimulator();
const FIELDS = [
  "app_id",
  "seller_id",
  "out_trade_no",
  "trade_no",
  "trade_status",
  "total_amount",
  "refund_fee",
  "gmt_payment",
  "charset",
  "sign_type",
  "sign",
  "notify_id",
  "passback_params",
];
const TABLES = ["orders", "payment_events", "memberships", "grants", "outbox", "timeline"];
const fieldName = fc.oneof(fc.constantFrom(...FIELDS), anyString);
const form = fc.dictionary(fieldName, anyString, { maxKeys: 16 });

describe.each(TEST_ENGINES)("fuzzed Alipay notifications on $name", (engine) => {
  let s: TestServer;
  let order: { orderId: string; yuan: string };
  const counts = async () => {
    const rows = await Promise.all(
      TABLES.map(async (t) => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(
          s.database.db,
        );
        return [t, rows[0].n] as const;
      }),
    );
    return Object.fromEntries(rows);
  };
  /** Posts `body`; a refusal must be `fail` with a 4xx. */
  const refused = async (body: string, contentType?: string) => {
    const res = await sim.post(s.baseUrl, body, contentType);
    expect(res.text, body).toBe("fail");
    expect(res.status, body).toBeGreaterThanOrEqual(400);
    expect(res.status, body).toBeLessThan(500);
  };

  beforeAll(async () => {
    s = await TestServer.start(engine, undefined, { alipay: sim.config() });
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("fuzz-ali");
    const created = await s.createOrder("fuzz-ali", "vip_month");
    order = { orderId: created.orderId, yuan: "15.00" };
  });
  afterAll(() => s.stop());

  it("any text, any form, any content type: `fail`, nothing written", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyString,
          form.map((f) => new URLSearchParams(f).toString()),
        ),
        (body) => refused(body),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        form,
        fc.constantFrom("application/json", "text/plain", "multipart/form-data"),
        (f, type) =>
          refused(
            new URLSearchParams(
              sim.signed(
                sim.fields({ ...order, status: "TRADE_SUCCESS", totalAmount: order.yuan, extra: f }),
              ),
            ).toString(),
            type,
          ),
      ),
      RUNS,
    );
    expect(await counts()).toEqual(before);
  });

  it("a signed notification with one field changed, added or dropped: `fail`, nothing written", async () => {
    const signed = sim.signed(sim.fields({ ...order, status: "TRADE_SUCCESS", totalAmount: order.yuan }));
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(signed)),
        anyString,
        fc.boolean(),
        async (field, value, drop) => {
          const edited = { ...signed };
          if (drop) delete edited[field];
          else edited[field] = edited[field] === value ? `${value}x` : value;
          await refused(new URLSearchParams(edited).toString());
        },
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(fieldName, anyString, async (field, value) => {
        fc.pre(!(field in signed));
        await refused(new URLSearchParams({ ...signed, [field]: value }).toString());
      }),
      RUNS,
    );
    expect(await counts()).toEqual(before);
  });

  it("a form signed by a stranger's key, whatever it says: `fail`, nothing written", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(form, async (extra) => {
        const fields = sim.fields({ ...order, status: "TRADE_SUCCESS", totalAmount: order.yuan, extra });
        await refused(new URLSearchParams(sim.signed(fields, sim.strangerKeys.privateKey)).toString());
      }),
      RUNS,
    );
    expect(await counts()).toEqual(before);
  });

  it("forms Alipay's key signed, with hostile values: never a 5xx, only `success` or `fail`", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          out_trade_no: fc.oneof(fc.constant(order.orderId), anyString),
          trade_status: fc.oneof(
            fc.constantFrom("TRADE_SUCCESS", "TRADE_FINISHED", "TRADE_CLOSED"),
            anyString,
          ),
          total_amount: fc.oneof(
            fc.constantFrom("15.00", "15", "0.01", "15.001", "-15", "1e3", ""),
            anyString,
          ),
          refund_fee: fc.option(fc.oneof(fc.constantFrom("5.00", "15.00", "99999999999"), anyString), {
            nil: undefined,
          }),
          gmt_payment: fc.oneof(fc.constant("2026-11-24 10:00:05"), anyString),
          passback_params: anyString,
        }),
        async (values) => {
          const { refund_fee, ...rest } = values;
          const fields: Record<string, string> = {
            ...sim.fields({ ...order, status: "TRADE_SUCCESS", totalAmount: order.yuan }),
            ...rest,
          };
          if (refund_fee !== undefined) fields.refund_fee = refund_fee;
          const res = await sim.post(s.baseUrl, new URLSearchParams(sim.signed(fields)).toString());
          expect(res.status, JSON.stringify(values)).toBeLessThan(500);
          expect(["success", "fail"]).toContain(res.text);
          if (res.text === "fail") expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      RUNS,
    );
  });
});
