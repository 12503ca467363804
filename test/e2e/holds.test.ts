import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { DEFAULT_RISK_RULES } from "../../src/holds/risk-rules.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Risk signals placing holds, decisions under a hold, agents placing, listing and clearing holds. */
describe.each(TEST_ENGINES)("risk holds on $name", (engine) => {
  let s: TestServer;
  let support: string;
  let seq = 0;

  const vip = async (prefix = "h") => {
    const memberId = `${prefix}-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    return memberId;
  };
  const signal = (memberId: string, body: Record<string, unknown>) =>
    s.request("POST", `/v1/members/${memberId}/signals`, { body });
  const login = (memberId: string, deviceId: string, country = "CN", city = "Shanghai") =>
    signal(memberId, { type: "login", deviceId, ip: "203.0.113.7", country, city });
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    const key = await s.request("POST", "/v1/api-keys", { body: { name: "agent", role: "support" } });
    support = key.body.key;
  });
  afterAll(() => s?.stop());

  it("a device used by more than 3 members in a day holds the 4th, with the evidence", async () => {
    const [a, b, c, d] = [await vip(), await vip(), await vip(), await vip()];
    for (const m of [a, b, c]) {
      const res = await login(m, "tablet-1");
      expect(res.status).toBe(201);
      expect(res.body.holdsPlaced).toEqual([]);
    }
    // The same members again change nothing: it is distinct members that count.
    expect((await login(a, "tablet-1")).body.holdsPlaced).toEqual([]);
    const before = await version(d);
    const fourth = await login(d, "tablet-1");
    expect(fourth.status).toBe(201);
    expect(fourth.body.holdsPlaced).toHaveLength(1);
    const hold = fourth.body.holdsPlaced[0];
    expect(hold).toMatchObject({
      memberId: d,
      reason: "shared_device",
      benefits: null,
      status: "open",
      clearMethod: "verify_identity",
      placedBy: "rule:shared_device",
      details: { rule: "shared_device", deviceId: "tablet-1", memberCount: 4, maxMembers: 3, window: "P1D" },
    });
    expect(hold.details.otherMembers).toEqual([a, b, c].sort());
    expect(await version(d)).toBe(before + 1);

    // The decision right after the signal sees the hold: reason, evidence id and the member's remedy.
    const decision = await s.check(d, "ad_free", undefined, { "accept-language": "en" });
    expect(decision.allowed).toBe(false);
    expect(decision.reasons).toEqual([
      {
        code: "ACCOUNT_ON_HOLD",
        cause: "account_risk",
        message:
          "No ads is paused on your account because of the account being used on a shared device. Verify your identity to restore it.",
        details: {
          holdId: hold.holdId,
          holdReason: "shared_device",
          placedAt: hold.placedAt,
          clearMethod: "verify_identity",
        },
        remedy: { actor: "member", action: "verify_identity" },
      },
    ]);
    const entitlements = await s.request("GET", `/v1/members/${d}/entitlements`);
    expect(entitlements.body.benefits.find((x: any) => x.benefit === "ad_free").state).toBe("on_hold");
    // The earlier members keep their benefits; a second login of the held member adds no second hold.
    expect((await s.check(a, "ad_free")).allowed).toBe(true);
    expect((await login(d, "tablet-1")).body.holdsPlaced).toEqual([]);
    // A day later the window has moved on: the device counts afresh.
    s.clock.advance(25 * HOUR);
    const e = await vip();
    expect((await login(e, "tablet-1")).body.holdsPlaced).toEqual([]);
  });

  it("the member's timeline and own view show the hold but never the evidence naming other members", async () => {
    const others = [await vip("ev"), await vip("ev"), await vip("ev")];
    for (const m of others) await login(m, "tablet-ev");
    const held = await vip("ev");
    const placed = (await login(held, "tablet-ev")).body.holdsPlaced[0];
    const token = await s.memberToken(held);
    const timeline = await s.request("GET", "/v1/me/timeline", { auth: token });
    expect(timeline.body.entries.map((e: any) => e.kind)).toContain("hold.placed");
    const mine = await s.request("GET", "/v1/me/holds", { auth: token });
    expect(mine.body.holds).toEqual([
      {
        holdId: placed.holdId,
        reason: "shared_device",
        benefits: null,
        status: "open",
        clearMethod: "verify_identity",
        placedAt: placed.placedAt,
        clearedAt: null,
      },
    ]);
    for (const body of [timeline.body, mine.body]) {
      for (const other of others) expect(JSON.stringify(body)).not.toContain(other);
    }
    // Support sees all of it.
    const detail = await s.request("GET", `/v1/members/${held}`, { auth: support });
    expect(detail.body.holds).toEqual([
      expect.objectContaining({ holdId: placed.holdId, details: placed.details }),
    ]);
  });

  it("a login in another country within 2 hours of logins at the usual place is held", async () => {
    const m = await vip();
    for (let i = 0; i < 3; i++) {
      expect((await login(m, "phone-m", "CN", "Shanghai")).body.holdsPlaced).toEqual([]);
      s.clock.advance(10 * MINUTE);
    }
    // Another city of the same country is not far (compare: country).
    expect((await login(m, "phone-m", "CN", "Beijing")).body.holdsPlaced).toEqual([]);
    s.clock.advance(HOUR);
    const far = await login(m, "phone-m", "US", "New York");
    expect(far.body.holdsPlaced).toEqual([
      expect.objectContaining({
        reason: "unusual_location",
        details: {
          rule: "unusual_location",
          usual: { country: "CN", city: null, logins: 4 },
          lastUsualLoginAt: new Date(s.clock.now() - HOUR).toISOString(),
          login: { country: "US", city: "New York", ip: "203.0.113.7", deviceId: "phone-m" },
          window: "PT2H",
          compare: "country",
        },
      }),
    ]);
    expect((await s.check(m, "vip_zone")).reasons[0].details.holdReason).toBe("unusual_location");
  });

  it("a login far away after more than the window, or without a usual place, is no hold", async () => {
    const traveller = await vip();
    for (let i = 0; i < 3; i++) await login(traveller, "p", "CN", "Shanghai");
    s.clock.advance(2 * HOUR + 1);
    expect((await login(traveller, "p", "JP", "Tokyo")).body.holdsPlaced).toEqual([]);
    const fresh = await vip();
    await login(fresh, "q", "CN", "Shanghai");
    await login(fresh, "q", "CN", "Shanghai");
    expect((await login(fresh, "q", "US")).body.holdsPlaced).toEqual([]);
  });

  it("a purchase through an unofficial channel is held; official and authorized partner channels are not", async () => {
    const m = await vip();
    for (const channel of ["official_app", "official_web"]) {
      expect((await signal(m, { type: "purchase", channel })).body.holdsPlaced).toEqual([]);
    }
    const rules = structuredClone(DEFAULT_RISK_RULES);
    rules.unofficialChannel.authorizedPartners = ["partner:tmall"];
    expect((await s.request("PUT", "/v1/risk-rules", { body: rules })).status).toBe(200);
    expect((await signal(m, { type: "purchase", channel: "partner:tmall" })).body.holdsPlaced).toEqual([]);
    const grey = await signal(m, { type: "purchase", channel: "partner:greyshop" });
    expect(grey.body.holdsPlaced).toEqual([
      expect.objectContaining({
        reason: "unofficial_channel",
        benefits: null,
        details: { rule: "unofficial_channel", channel: "partner:greyshop" },
      }),
    ]);
    expect((await s.check(m, "ad_free")).reasons[0].code).toBe("ACCOUNT_ON_HOLD");
    await s.request("PUT", "/v1/risk-rules", { body: DEFAULT_RISK_RULES });
  });

  it("a member without a membership is told so, not that they are on hold", async () => {
    const m = `nm-${++seq}`;
    await s.createMember(m, { locale: "en" });
    const res = await signal(m, { type: "purchase", channel: "taobao_reseller" });
    expect(res.body.holdsPlaced).toHaveLength(1);
    expect((await s.check(m, "ad_free")).reasons.map((r: any) => r.code)).toEqual(["NO_MEMBERSHIP"]);
  });

  it("agents place a scoped hold: the listed benefits are held, the others stay allowed", async () => {
    const m = await vip();
    const before = await version(m);
    const placed = await s.request("POST", `/v1/members/${m}/holds`, {
      auth: support,
      body: { reason: "manual", benefits: ["vip_zone"], note: "ticket 42" },
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      reason: "manual",
      benefits: ["vip_zone"],
      clearMethod: "agent",
      note: "ticket 42",
      placedBy: expect.stringMatching(/^support:/),
    });
    expect(await version(m)).toBe(before + 1);
    const zone = await s.check(m, "vip_zone");
    expect(zone.reasons[0]).toMatchObject({
      code: "ACCOUNT_ON_HOLD",
      remedy: { actor: "support", action: "contact_support" },
    });
    expect((await s.check(m, "ad_free")).allowed).toBe(true);

    // An agent clears it, with a note; the audit trail says who did what.
    const cleared = await s.request("POST", `/v1/holds/${placed.body.holdId}/clear`, {
      auth: support,
      body: { note: "customer verified by phone" },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({
      status: "cleared",
      clearedBy: placed.body.placedBy,
      clearNote: "customer verified by phone",
      entitlementsVersion: before + 2,
    });
    expect((await s.check(m, "vip_zone")).allowed).toBe(true);
    const again = await s.request("POST", `/v1/holds/${placed.body.holdId}/clear`, { body: { note: "x" } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("HOLD_NOT_OPEN");
    const trail = await s.request("GET", `/v1/holds/${placed.body.holdId}`, { auth: support });
    expect(trail.body.events.map((e: any) => [e.kind, e.actor])).toEqual([
      ["placed", placed.body.placedBy],
      ["cleared", placed.body.placedBy],
    ]);
    const timeline = await s.request("GET", `/v1/members/${m}/timeline`);
    const holdEntries = timeline.body.entries.filter((e: any) => e.kind.startsWith("hold."));
    expect(holdEntries.map((e: any) => [e.kind, e.source])).toEqual([
      ["hold.placed", "support"],
      ["hold.cleared", "support"],
    ]);
  });

  it("placing: unknown benefits and members, a second open hold of one reason", async () => {
    const m = await vip();
    const unknown = await s.request("POST", `/v1/members/${m}/holds`, {
      body: { reason: "manual", benefits: ["ad_free", "ghost", "nope"] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.map((d: any) => d.path)).toEqual(["/benefits/1", "/benefits/2"]);
    const missing = await s.request("POST", "/v1/members/nobody-here/holds", { body: { reason: "manual" } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("MEMBER_NOT_FOUND");
    const first = await s.request("POST", `/v1/members/${m}/holds`, { body: { reason: "chargeback" } });
    expect(first.status).toBe(201);
    const second = await s.request("POST", `/v1/members/${m}/holds`, { body: { reason: "chargeback" } });
    expect(second.status).toBe(409);
    expect(second.body.error.details[0].holdId).toBe(first.body.holdId);
    // Manual holds may stack.
    for (let i = 0; i < 2; i++) {
      expect((await s.request("POST", `/v1/members/${m}/holds`, { body: { reason: "manual" } })).status).toBe(
        201,
      );
    }
  });

  it("lists holds newest first, by status and member, page by page", async () => {
    const m = await vip();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      s.clock.advance(MINUTE);
      const res = await s.request("POST", `/v1/members/${m}/holds`, { body: { reason: "manual" } });
      ids.push(res.body.holdId);
    }
    await s.request("POST", `/v1/holds/${ids[0]}/clear`, { body: { note: "ok" } });
    const open = await s.request("GET", `/v1/holds?status=open&memberId=${m}`, { auth: support });
    expect(open.body.holds.map((h: any) => h.holdId)).toEqual([ids[2], ids[1]]);
    const page1 = await s.request("GET", `/v1/holds?memberId=${m}&limit=2`);
    expect(page1.body.holds.map((h: any) => h.holdId)).toEqual([ids[2], ids[1]]);
    const page2 = await s.request("GET", `/v1/holds?memberId=${m}&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toEqual({
      holds: [expect.objectContaining({ holdId: ids[0], status: "cleared" })],
      nextCursor: null,
    });
    const cleared = await s.request("GET", `/v1/holds?status=cleared&memberId=${m}`);
    expect(cleared.body.holds.map((h: any) => h.holdId)).toEqual([ids[0]]);
    for (const bad of ["status=closed", "limit=0", "limit=abc", "cursor=bm90LWEtY3Vyc29y", "zz=1"]) {
      const res = await s.request("GET", `/v1/holds?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    expect((await s.request("GET", "/v1/holds/hold_doesnotexist")).body.error.code).toBe("HOLD_NOT_FOUND");
  });

  it("risk rules: defaults, editable by admins, every problem listed at once", async () => {
    const got = await s.request("GET", "/v1/risk-rules", { auth: support });
    expect(got.body).toEqual(DEFAULT_RISK_RULES);
    const bad = await s.request("PUT", "/v1/risk-rules", {
      body: {
        sharedDevice: { enabled: true, maxMembers: 0, window: "P1M" },
        unusualLocation: { ...DEFAULT_RISK_RULES.unusualLocation, compare: "planet" },
        unofficialChannel: { enabled: true, authorizedPartners: ["tmall"] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(
      expect.arrayContaining([
        "/sharedDevice/maxMembers",
        "/sharedDevice/window",
        "/unusualLocation/compare",
        "/unofficialChannel/authorizedPartners/0",
      ]),
    );
    const semantic = await s.request("PUT", "/v1/risk-rules", {
      body: {
        ...DEFAULT_RISK_RULES,
        sharedDevice: { enabled: true, maxMembers: 2, window: "PT0S" },
        unusualLocation: { ...DEFAULT_RISK_RULES.unusualLocation, window: "P31D" },
      },
    });
    expect(semantic.body.error.details.map((d: any) => d.path)).toEqual([
      "/sharedDevice/window",
      "/unusualLocation/window",
    ]);
    expect(
      (await s.request("PUT", "/v1/risk-rules", { auth: support, body: DEFAULT_RISK_RULES })).status,
    ).toBe(403);
    expect((await s.request("GET", "/v1/risk-rules")).body).toEqual(DEFAULT_RISK_RULES);

    // A stricter rule takes effect on the next signal.
    const strict = { ...DEFAULT_RISK_RULES, sharedDevice: { enabled: true, maxMembers: 1, window: "PT1H" } };
    expect((await s.request("PUT", "/v1/risk-rules", { body: strict })).body).toEqual(strict);
    const [a, b] = [await vip(), await vip()];
    await login(a, "pc-strict");
    expect((await login(b, "pc-strict")).body.holdsPlaced).toHaveLength(1);
    const off = { ...DEFAULT_RISK_RULES, sharedDevice: { ...strict.sharedDevice, enabled: false } };
    await s.request("PUT", "/v1/risk-rules", { body: off });
    const c = await vip();
    expect((await login(c, "pc-strict")).body.holdsPlaced).toEqual([]);
    await s.request("PUT", "/v1/risk-rules", { body: DEFAULT_RISK_RULES });
  });

  it("signals: bad input is a 400 naming the field, an unknown member a 404", async () => {
    const m = await vip();
    for (const body of [
      { type: "login", ip: "1.2.3.4" },
      { type: "login", deviceId: "d", ip: "not an ip" },
      { type: "login", deviceId: "d", ip: "1.2.3.4", country: "China" },
      { type: "purchase" },
      { type: "refund", channel: "official_app" },
      { type: "purchase", channel: "official_app", extra: 1 },
    ]) {
      const res = await signal(m, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const unknown = await signal("nobody-at-all", { type: "purchase", channel: "official_app" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("MEMBER_NOT_FOUND");
  });
});
