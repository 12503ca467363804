import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type ApiResponse, PAYMENT_SECRET, T0, TestServer } from "../e2e-harness.js";
import { COUPON_CATALOG, couponsOf, vipMember } from "../support/coupon-fixtures.js";
import { type NodeProcess, startNode } from "../support/node-processes.js";
import { TEST_ENGINES } from "../test-database.js";

const MEMBERS = 200;
const LIMIT = 50;

/** MEMBERS paying members, each holding one flash_5_off coupon (issued by listing); their ids. */
async function flashHolders(
  s: TestServer,
  prefix: string,
): Promise<{ memberId: string; couponId: string }[]> {
  const ids = Array.from({ length: MEMBERS }, (_, i) => `${prefix}-${i}`);
  const holders: { memberId: string; couponId: string }[] = [];
  for (let i = 0; i < ids.length; i += 20) {
    const batch = ids.slice(i, i + 20);
    holders.push(
      ...(await Promise.all(
        batch.map(async (memberId) => {
          await vipMember(s, memberId);
          const [flash] = await couponsOf(s, memberId, "flash_5_off");
          return { memberId, couponId: flash.couponId };
        }),
      )),
    );
  }
  return holders;
}

function expectExactlyTheLimit(answers: ApiResponse[]) {
  const ok = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status === 409);
  expect(ok).toHaveLength(LIMIT);
  expect(refused).toHaveLength(MEMBERS - LIMIT);
  for (const a of refused) {
    expect(a.body.error.code).toBe("COUPON_NOT_REDEEMABLE");
    expect(a.body.error.details[0].reasons).toMatchObject([
      { code: "USAGE_LIMIT_REACHED", details: { scope: "total", limit: LIMIT } },
    ]);
  }
}

async function counters(s: TestServer, prefix: string) {
  const { rows } = await sql<{ used: number; locked: number }>`
    select (select used from coupon_usage where template = 'flash_5_off') as used,
      (select count(*)::int from member_coupons where template = 'flash_5_off' and status = 'locked'
        and member_id like ${`${prefix}-%`}) as locked`.execute(s.database.db);
  return rows[0];
}

const body = (h: { memberId: string; couponId: string }) => ({
  memberId: h.memberId,
  orderRef: `order-${h.memberId}`,
  coupons: [h.couponId],
});

describe.each(TEST_ENGINES)("the total limit under 200 concurrent redemptions ($name)", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine, T0);
    await s.putCatalog(COUPON_CATALOG);
  });
  afterAll(() => s.stop());

  it("exactly 50 succeed; the counter is 50", async () => {
    const holders = await flashHolders(s, "lim");
    const answers = await Promise.all(
      holders.map((h) => s.request("POST", "/v1/checkout/redeem", { body: body(h) })),
    );
    expectExactlyTheLimit(answers);
    expect(await counters(s, "lim")).toEqual({ used: LIMIT, locked: LIMIT });
    // Releasing one frees one use: the next member gets it.
    const winner = holders.find((_, i) => answers[i].status === 200)!;
    const loser = holders.find((_, i) => answers[i].status === 409)!;
    expect(
      (await s.request("POST", "/v1/checkout/release", { body: { orderRef: `order-${winner.memberId}` } }))
        .status,
    ).toBe(200);
    expect((await s.request("POST", "/v1/checkout/redeem", { body: body(loser) })).status).toBe(200);
    expect((await counters(s, "lim")).used).toBe(LIMIT);
  }, 300_000);
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)("the total limit from two server processes on one PostgreSQL schema", () => {
  let s: TestServer;
  const nodes: NodeProcess[] = [];
  beforeAll(async () => {
    s = await TestServer.start(TEST_ENGINES.find((e) => e.name === "postgres")!, T0);
    await s.putCatalog(COUPON_CATALOG);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await s?.stop();
  });

  /** Another server process on this test's schema, its clock at the test server's. */
  async function serverProcess(): Promise<string> {
    const node = await startNode(
      postgresUrl!,
      s.database.schema,
      { adminKey: ADMIN_KEY, paymentSecret: PAYMENT_SECRET },
      { NOW: String(s.clock.now()) },
    );
    nodes.push(node);
    return node.url;
  }

  it("exactly 50 of 200 succeed across both processes; the counter is 50", async () => {
    const holders = await flashHolders(s, "twin");
    const urls = await Promise.all([serverProcess(), serverProcess()]);
    const answers = await Promise.all(
      holders.map(async (h, i) => {
        const res = await fetch(`${urls[i % 2]}/v1/checkout/redeem`, {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
          body: JSON.stringify(body(h)),
        });
        return { status: res.status, body: await res.json(), headers: res.headers } as ApiResponse;
      }),
    );
    expectExactlyTheLimit(answers);
    // Both processes took part in the successes.
    const okByProcess = [0, 1].map((p) => answers.filter((a, i) => i % 2 === p && a.status === 200).length);
    expect(okByProcess.every((n) => n > 0)).toBe(true);
    expect(await counters(s, "twin")).toEqual({ used: LIMIT, locked: LIMIT });
  }, 300_000);
});
