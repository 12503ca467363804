import { describe, expect, it } from "vitest";
import { expandOutboxRow } from "./event-expansion.js";
import { eventMatches } from "./event-log-store.js";
import type { LoggedEvent } from "./logged-event.js";

describe("expandOutboxRow", () => {
  it("a member write's row is one entitlements.changed with its cause, version and extra fields", () => {
    const events = expandOutboxRow({
      id: 7,
      memberId: "m1",
      type: "entitlements.changed",
      payload: { memberId: "m1", cause: "payment.succeeded", orderId: "ord_1", entitlementsVersion: 4 },
    });
    expect(events).toEqual([
      {
        outboxId: 7,
        memberId: "m1",
        type: "entitlements.changed",
        data: '{"cause":"payment.succeeded","memberId":"m1","orderId":"ord_1","entitlementsVersion":4}',
      },
    ]);
  });

  it("another type that carries a version gives its own event, then entitlements.changed caused by it", () => {
    const events = expandOutboxRow({
      id: 8,
      memberId: "m1",
      type: "notice.created",
      payload: { memberId: "m1", noticeId: "ntc_1", entitlementsVersion: 5 },
    });
    expect(events.map((e) => [e.type, JSON.parse(e.data)])).toEqual([
      ["notice.created", { memberId: "m1", noticeId: "ntc_1", entitlementsVersion: 5 }],
      ["entitlements.changed", { memberId: "m1", entitlementsVersion: 5, cause: "notice.created" }],
    ]);
  });

  it("rows without a version, and broadcasts, give their own event only; the data is one line", () => {
    const reminder = expandOutboxRow({
      id: 9,
      memberId: "m2",
      type: "membership.expiring",
      payload: { note: "a\nb" },
    });
    expect(reminder.map((e) => e.type)).toEqual(["membership.expiring"]);
    expect(reminder[0].data).not.toContain("\n");
    expect(JSON.parse(reminder[0].data)).toEqual({ memberId: "m2", note: "a\nb" });
    const catalog = expandOutboxRow({
      id: 10,
      memberId: null,
      type: "catalog.changed",
      payload: { version: 3 },
    });
    expect(catalog).toEqual([
      { outboxId: 10, memberId: null, type: "catalog.changed", data: '{"version":3}' },
    ]);
  });
});

describe("eventMatches", () => {
  const event = (memberId: string | null, type: string): LoggedEvent => ({
    seq: 1,
    memberId,
    type,
    data: "{}",
    createdAt: new Date(0),
  });

  it("a member's stream: their events and catalog broadcasts, never platform-only types or other members'", () => {
    const filter = { members: new Set(["m1"]), memberFacing: true };
    expect(eventMatches(filter, event("m1", "entitlements.changed"))).toBe(true);
    expect(eventMatches(filter, event(null, "catalog.changed"))).toBe(true);
    expect(eventMatches(filter, event("m2", "entitlements.changed"))).toBe(false);
    expect(eventMatches(filter, event(null, "webhook_endpoint.disabled"))).toBe(false);
    expect(eventMatches(filter, event("m1", "verification.code_requested"))).toBe(false);
  });

  it("an unfiltered back-end stream gets everything, platform-only types included", () => {
    const filter = { members: null, memberFacing: false };
    for (const e of [event("m1", "verification.code_requested"), event(null, "webhook_endpoint.disabled")])
      expect(eventMatches(filter, e)).toBe(true);
  });
});
