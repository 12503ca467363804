import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectErrorShape } from "./support/error-responses.js";

const MINUTE = 60_000;

/** Clearing a hold by identity verification: the one-time code, wrong and expired codes, lockout. */
describe.each(TEST_ENGINES)("hold verification on $name", (engine) => {
  let s: TestServer;
  let seq = 0;

  /** A paying VIP with a verify_identity hold on all benefits, and their member token. */
  const heldMember = async () => {
    const memberId = `v-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    const res = await s.request("POST", `/v1/members/${memberId}/signals`, {
      body: { type: "purchase", channel: "grey_reseller" },
    });
    const holdId = res.body.holdsPlaced[0].holdId as string;
    return { memberId, holdId, token: await s.memberToken(memberId) };
  };
  const requestCode = (m: { holdId: string; token: string }) =>
    s.request("POST", `/v1/me/holds/${m.holdId}/verification`, { auth: m.token });
  const verify = (m: { holdId: string; token: string }, code: string) =>
    s.request("POST", `/v1/me/holds/${m.holdId}/verify`, { auth: m.token, body: { code } });
  /** The code the platform would deliver: the latest outbox event for the member. */
  const deliveredCode = async (memberId: string) => {
    const { rows } = await sql<{ payload: { code: string; holdId: string; expiresAt: string } }>`
      select payload from outbox where member_id = ${memberId} and type = 'verification.code_requested'
      order by id desc limit 1`.execute(s.database.db);
    return rows[0].payload;
  };
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  const trail = async (holdId: string) =>
    (await s.request("GET", `/v1/holds/${holdId}`)).body.events.map((e: any) => e.kind);
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s?.stop());

  it("the right code clears the hold: allowed again, version bumped, every step in the audit trail", async () => {
    const m = await heldMember();
    expect((await s.check(m.memberId, "ad_free")).allowed).toBe(false);
    const sent = await requestCode(m);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({
      holdId: m.holdId,
      expiresAt: new Date(s.clock.now() + 10 * MINUTE).toISOString(),
      resendAfter: new Date(s.clock.now() + MINUTE).toISOString(),
    });
    const delivered = await deliveredCode(m.memberId);
    expect(delivered).toMatchObject({ holdId: m.holdId, expiresAt: sent.body.expiresAt });
    expect(delivered.code).toMatch(/^[0-9]{6}$/);
    // Stored hashed: the code itself is nowhere in the verification table.
    const { rows } = await sql<{ code_hash: string }>`
      select code_hash from verification_codes where hold_id = ${m.holdId}`.execute(s.database.db);
    expect(rows[0].code_hash).not.toContain(delivered.code);
    expect(JSON.stringify(sent.body)).not.toContain(delivered.code);

    const before = await version(m.memberId);
    const ok = await verify(m, delivered.code);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ holdId: m.holdId, status: "cleared", entitlementsVersion: before + 1 });
    expect((await s.check(m.memberId, "ad_free")).allowed).toBe(true);
    expect(await version(m.memberId)).toBe(before + 1);
    expect(await trail(m.holdId)).toEqual(["placed", "code_sent", "code_verified", "cleared"]);
    const hold = (await s.request("GET", `/v1/holds/${m.holdId}`)).body;
    expect(hold).toMatchObject({ clearedBy: `member:${m.memberId}` });
    const kinds = (await s.request("GET", "/v1/me/timeline", { auth: m.token })).body.entries.map(
      (e: any) => e.kind,
    );
    expect(kinds).toEqual(
      expect.arrayContaining(["hold.placed", "hold.verification_requested", "hold.cleared"]),
    );
    // Used once: the same code again finds the hold cleared.
    expectErrorShape(await verify(m, delivered.code), 409, "HOLD_NOT_OPEN");
  });

  it("a wrong code counts an attempt and says how many are left; the right one still works", async () => {
    const m = await heldMember();
    await requestCode(m);
    const { code } = await deliveredCode(m.memberId);
    const res = await verify(m, wrong(code));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("VERIFICATION_FAILED");
    expect(res.body.error.details[0]).toMatchObject({ path: "/code", attemptsLeft: 4 });
    expect((await s.check(m.memberId, "ad_free")).allowed).toBe(false);
    expect((await verify(m, code)).status).toBe(200);
    expect(await trail(m.holdId)).toEqual(["placed", "code_sent", "code_failed", "code_verified", "cleared"]);
  });

  it("an expired code is refused as expired, and a new code works", async () => {
    const m = await heldMember();
    await requestCode(m);
    const { code } = await deliveredCode(m.memberId);
    s.clock.advance(10 * MINUTE);
    const res = await verify(m, code);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("VERIFICATION_EXPIRED");
    // Expired means void: the same code is not checked again.
    expect((await verify(m, code)).body.error.code).toBe("VERIFICATION_NOT_REQUESTED");
    expect((await requestCode(m)).status).toBe(202);
    expect((await verify(m, (await deliveredCode(m.memberId)).code)).status).toBe(200);
  });

  it("5 wrong codes lock verification: even the right code is refused until the lock ends", async () => {
    const m = await heldMember();
    await requestCode(m);
    const { code } = await deliveredCode(m.memberId);
    for (let i = 1; i <= 4; i++) {
      expect((await verify(m, wrong(code))).body.error.details[0].attemptsLeft).toBe(5 - i);
    }
    const fifth = await verify(m, wrong(code));
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe("VERIFICATION_LOCKED");
    const lockedUntil = new Date(s.clock.now() + 15 * MINUTE).toISOString();
    expect(fifth.body.error.details[0].lockedUntil).toBe(lockedUntil);
    const right = await verify(m, code);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe("VERIFICATION_LOCKED");
    expect((await requestCode(m)).body.error.code).toBe("VERIFICATION_LOCKED");
    expect((await s.check(m.memberId, "ad_free")).allowed).toBe(false);
    s.clock.advance(15 * MINUTE - 1);
    expect((await verify(m, code)).body.error.code).toBe("VERIFICATION_LOCKED");
    // After the lock the old code is void; a new one works.
    s.clock.advance(1);
    expect((await verify(m, code)).body.error.code).toBe("VERIFICATION_NOT_REQUESTED");
    expect((await requestCode(m)).status).toBe(202);
    expect((await verify(m, (await deliveredCode(m.memberId)).code)).status).toBe(200);
    expect(await trail(m.holdId)).toEqual([
      "placed",
      "code_sent",
      ...Array(5).fill("code_failed"),
      "locked_out",
      "code_sent",
      "code_verified",
      "cleared",
    ]);
  });

  it("re-sending a code is rate limited and does not reset the wrong-code count", async () => {
    const m = await heldMember();
    await requestCode(m);
    const soon = await requestCode(m);
    expect(soon.status).toBe(429);
    expect(soon.body.error.code).toBe("RATE_LIMITED");
    const first = (await deliveredCode(m.memberId)).code;
    for (let i = 0; i < 4; i++) await verify(m, wrong(first));
    s.clock.advance(MINUTE);
    expect((await requestCode(m)).status).toBe(202);
    const second = (await deliveredCode(m.memberId)).code;
    // The fifth wrong code in a row locks, though it is the first wrong one for the new code.
    expect((await verify(m, wrong(second))).body.error.code).toBe("VERIFICATION_LOCKED");
  });

  it("wrong codes are refused without a code: not requested, malformed, or for another member's hold", async () => {
    const m = await heldMember();
    expectErrorShape(await verify(m, "123456"), 409, "VERIFICATION_NOT_REQUESTED");
    for (const code of ["12345", "1234567", "abcdef", " 12345"]) {
      const res = await verify(m, code);
      expect(res.status, code).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const other = await heldMember();
    const asOther = { holdId: m.holdId, token: other.token };
    expectErrorShape(await requestCode(asOther), 404, "HOLD_NOT_FOUND");
    expectErrorShape(await verify(asOther, "123456"), 404, "HOLD_NOT_FOUND");
    // An agent-only hold cannot be verified away.
    const manual = await s.request("POST", `/v1/members/${m.memberId}/holds`, { body: { reason: "manual" } });
    expectErrorShape(
      await requestCode({ holdId: manual.body.holdId, token: m.token }),
      409,
      "HOLD_NOT_SELF_CLEARABLE",
    );
  });

  it("brute force does not work: 5 guesses per 15 minutes, whatever the requests", async () => {
    const m = await heldMember();
    await requestCode(m);
    const { code } = await deliveredCode(m.memberId);
    const guesses = Array.from({ length: 20 }, (_, i) => String(i).padStart(6, "0")).filter(
      (g) => g !== code,
    );
    // Concurrent guesses take turns on the member row: exactly 5 are checked, the rest are refused.
    const answers = await Promise.all(guesses.map((g) => verify(m, g)));
    const codes = answers.map((a) => a.body.error.code);
    expect(codes.filter((c) => c === "VERIFICATION_FAILED")).toHaveLength(4);
    expect(codes.filter((c) => c === "VERIFICATION_LOCKED")).toHaveLength(guesses.length - 4);
    expect((await trail(m.holdId)).filter((k: string) => k === "code_failed")).toHaveLength(5);
  });
});
