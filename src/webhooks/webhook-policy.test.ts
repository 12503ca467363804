import { describe, expect, it } from "vitest";
import { DEFAULT_WEBHOOK_POLICY, disableReason, retryDelayMs } from "./webhook-policy.js";
import { urlProblems } from "./webhook-service.js";
import { subscribes } from "./webhook-store.js";

describe("webhook retry delays", () => {
  const policy = { ...DEFAULT_WEBHOOK_POLICY, baseDelayMs: 1_000, maxDelayMs: 60_000 };

  it("double each time, capped, half of each delay random", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n, 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n, 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(policy, 30, 1)).toBe(60_000);
    expect(retryDelayMs(policy, 30, 0)).toBe(30_000);
  });

  it("the default policy spends about a day before a delivery is given up", () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_WEBHOOK_POLICY.maxAttempts; n++)
      total += retryDelayMs(DEFAULT_WEBHOOK_POLICY, n, 1);
    expect(total).toBeGreaterThan(12 * 3_600_000);
    expect(total).toBeLessThan(48 * 3_600_000);
  });
});

describe("disabling an endpoint", () => {
  const policy = { ...DEFAULT_WEBHOOK_POLICY, disableAfterFailures: 5, disableAfterMs: 1_000 };
  it("after N consecutive failures, or failing for longer than the window", () => {
    expect(disableReason(policy, { consecutiveFailures: 4, failingSince: new Date(0) }, 999)).toBeNull();
    expect(disableReason(policy, { consecutiveFailures: 5, failingSince: new Date(0) }, 1)).toBe(
      "5 consecutive failed attempts",
    );
    expect(disableReason(policy, { consecutiveFailures: 1, failingSince: new Date(0) }, 1_000)).toBe(
      "failing since 1970-01-01T00:00:00.000Z",
    );
    expect(disableReason(policy, { consecutiveFailures: 0, failingSince: null }, 1e12)).toBeNull();
  });
});

describe("webhook URLs and subscriptions", () => {
  it("accepts http(s) URLs and names every problem of a bad one", () => {
    expect(urlProblems("https://example.com/hooks?x=1", false)).toEqual([]);
    expect(urlProblems("http://127.0.0.1:8080/h", true)).toEqual([]);
    expect(urlProblems("ftp://user:pw@example.com/#x", true).map((p) => p.message)).toEqual([
      "must be http or https",
      "must not carry credentials; deliveries are signed instead",
      "must not have a fragment",
    ]);
    expect(urlProblems("example.com/h", true)).toEqual([{ path: "/url", message: "is not an absolute URL" }]);
  });

  it("refuses private IP addresses unless private networks are allowed", () => {
    for (const url of [
      "http://127.0.0.1:8080/h",
      "http://10.1.2.3/h",
      "http://192.168.0.10/h",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]:9000/h",
      "http://[::ffff:10.0.0.1]/h",
      "http://[fd00::1]/h",
      "http://0.0.0.0/h",
    ]) {
      expect(urlProblems(url, false), url).toEqual([
        { path: "/url", message: expect.stringContaining("private networks are not allowed") },
      ]);
      expect(urlProblems(url, true), url).toEqual([]);
    }
    expect(urlProblems("http://93.184.215.14/h", false)).toEqual([]);
    expect(urlProblems("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/h", false)).toEqual([]);
  });

  it("matches exact types, prefix patterns and *", () => {
    expect(subscribes(["*"], "anything.at_all")).toBe(true);
    expect(subscribes(["coupon.*"], "coupon.issued")).toBe(true);
    expect(subscribes(["coupon.*"], "couponx.issued")).toBe(false);
    expect(subscribes(["coupon.*"], "coupon")).toBe(false);
    expect(subscribes(["notice.created"], "notice.created")).toBe(true);
    expect(subscribes(["notice.created"], "notice.read")).toBe(false);
  });
});
