import { describe, expect, it } from "vitest";
import { LOCALES } from "../catalog/catalog-types.js";
import { fixtureCatalog } from "./engine-fixtures.js";
import { REASON_CODES, type ReasonCode } from "./engine-types.js";
import { formatMoney } from "./message-format.js";
import { localize, MESSAGES, reasonMessage } from "./messages.js";
import { formatLocalTime } from "./time-format.js";

const catalog = fixtureCatalog();
const discount = catalog.benefits.get("member_discount")!;
const storage = catalog.benefits.get("cloud_storage")!;
const ALL_CODES = Object.keys(REASON_CODES) as ReasonCode[];

/** Details of the shape each code is produced with (several by later issues). */
const SAMPLE: Record<ReasonCode, Record<string, unknown>> = {
  GRANTED: {},
  NO_MEMBERSHIP: { tiers: ["vip", "svip"] },
  MEMBERSHIP_EXPIRED: { expiredAt: "2026-11-24T16:00:00.000Z", tier: "vip" },
  MEMBERSHIP_REVOKED: { revokedAt: "2026-11-24T16:00:00.000Z", orderId: "o1", tier: "vip" },
  MEMBERSHIP_IN_GRACE: {
    tier: "vip",
    expiredAt: "2026-11-24T16:00:00.000Z",
    graceEndsAt: "2026-11-27T16:00:00.000Z",
  },
  TIER_NOT_ELIGIBLE: { tier: "basic", tiers: ["vip", "svip"] },
  PAYMENT_PENDING: { orderId: "o1", since: "2026-11-24T16:00:00.000Z", plan: "vip_month" },
  NOT_YET_EFFECTIVE: { effectiveFrom: "2026-11-24T16:00:00.000Z" },
  OUT_OF_SCOPE: { dimension: "sale_item", rule: "exclude", expected: false, actual: true },
  CLAIM_REQUIRED: {},
  TOGGLE_OFF: {},
  QUOTA_EXHAUSTED: { limit: 10, used: 10, unit: "downloads", resetAt: "2026-11-24T16:00:00.000Z" },
  ACCOUNT_ON_HOLD: { holdReason: "shared_device" },
  RULE_CHANGED: {
    version: 4,
    changedAt: "2026-11-24T16:00:00.000Z",
    field: "discount.amountOff",
    before: { amount: 1500, currency: "CNY" },
    after: { amount: 1200, currency: "CNY" },
  },
  BENEFIT_WITHDRAWN: { version: 4, tier: "vip", withdrawnAt: "2026-11-24T16:00:00.000Z" },
  CLIENT_OUTDATED: { platform: "ios", version: "5.1.0", minVersion: "5.2.0" },
  CLIENT_CACHE_STALE: { clientVersion: 3, serverVersion: 17 },
  STATE_INCONSISTENT: { problem: "grant_missing", membershipId: "ms1", tier: "vip" },
};

const message = (code: ReasonCode, details: Record<string, unknown>, locale: (typeof LOCALES)[number]) =>
  reasonMessage(code, details, locale, discount, "Asia/Shanghai", catalog);

describe("messages", () => {
  it("has a template for exactly the codes of REASON_CODES, in both locales", () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...ALL_CODES].sort());
    for (const code of ALL_CODES) expect(Object.keys(MESSAGES[code]).sort()).toEqual([...LOCALES].sort());
  });

  it("gives every code a non-empty message in both locales, with or without details", () => {
    for (const code of ALL_CODES) {
      for (const locale of LOCALES) {
        for (const details of [SAMPLE[code], {}]) {
          const text = message(code, details, locale);
          expect(text.trim().length, `${code} ${locale}`).toBeGreaterThan(5);
          expect(text, `${code} ${locale}`).not.toMatch(/undefined|\[object|NaN/);
        }
        if (code !== "CLIENT_CACHE_STALE")
          expect(message(code, SAMPLE[code], locale)).toContain(localize(discount.name, locale));
      }
    }
  });

  it("speaks Chinese in zh-CN and English in en", () => {
    for (const code of ALL_CODES) {
      expect(message(code, SAMPLE[code], "zh-CN"), code).toMatch(/[\u4e00-\u9fff]/);
      expect(message(code, SAMPLE[code], "en").replace(/[\u4e00-\u9fff]/g, "")).toBe(
        message(code, SAMPLE[code], "en"),
      );
    }
  });

  it("words the codes later issues produce", () => {
    expect(message("QUOTA_EXHAUSTED", SAMPLE.QUOTA_EXHAUSTED, "en")).toBe(
      "You have used 10 of your 10 downloads of Member discount; it resets on 2026-11-25 00:00 (Asia/Shanghai).",
    );
    expect(
      reasonMessage(
        "QUOTA_EXHAUSTED",
        { limit: 2048, used: 2048, unit: "GB" },
        "zh-CN",
        storage,
        "UTC",
        null,
      ),
    ).toBe("云存储空间额度已用完（已用2048/2048 GB）");
    expect(message("ACCOUNT_ON_HOLD", SAMPLE.ACCOUNT_ON_HOLD, "zh-CN")).toBe(
      "因账号存在多设备共享，为保障账户安全，会员折扣已暂停，完成身份验证后即可恢复",
    );
    expect(message("RULE_CHANGED", SAMPLE.RULE_CHANGED, "en")).toBe(
      "The rules of Member discount changed on 2026-11-25 00:00 (Asia/Shanghai) (catalog version 4): discount amount was ¥15.00, now ¥12.00.",
    );
    expect(message("RULE_CHANGED", SAMPLE.RULE_CHANGED, "zh-CN")).toBe(
      "会员折扣的规则已于2026-11-25 00:00 (Asia/Shanghai)调整（目录版本4）：优惠金额由¥15.00变为¥12.00",
    );
    expect(message("BENEFIT_WITHDRAWN", SAMPLE.BENEFIT_WITHDRAWN, "zh-CN")).toBe(
      "自目录版本4（2026-11-25 00:00 (Asia/Shanghai)）起，VIP会员不再包含会员折扣",
    );
  });

  it("renders tier codes as they are when no catalog is given", () => {
    const text = reasonMessage("TIER_NOT_ELIGIBLE", SAMPLE.TIER_NOT_ELIGIBLE, "en", discount, "UTC", null);
    expect(text).toBe(
      "Member discount is not included in your basic membership. Upgrade to vip or svip to use it.",
    );
  });
});

describe("localize", () => {
  it("uses a plain string for every locale", () => {
    expect(localize("HD download boost", "zh-CN")).toBe("HD download boost");
  });

  it("picks the locale, then falls back to the other one", () => {
    expect(localize({ en: "No ads", "zh-CN": "免广告" }, "zh-CN")).toBe("免广告");
    expect(localize({ en: "No ads", "zh-CN": "免广告" }, "en")).toBe("No ads");
    expect(localize({ en: "Priority support" }, "zh-CN")).toBe("Priority support");
    expect(localize({ "zh-CN": "免广告" }, "en")).toBe("免广告");
    expect(localize({}, "en")).toBe("");
    expect(localize(undefined, "en")).toBe("");
  });
});

describe("formatting", () => {
  it("shows instants in the member's time zone", () => {
    const ms = Date.parse("2026-11-24T16:00:00.000Z");
    expect(formatLocalTime(ms, "Asia/Shanghai")).toBe("2026-11-25 00:00 (Asia/Shanghai)");
    expect(formatLocalTime("2026-11-24T16:00:00.000Z", "UTC")).toBe("2026-11-24 16:00 (UTC)");
    expect(formatLocalTime("2026-07-01T04:30:00.000Z", "America/New_York")).toBe(
      "2026-07-01 00:30 (America/New_York)",
    );
    expect(formatLocalTime(ms, "Not/AZone")).toBe("2026-11-24 16:00 (UTC)");
    expect(formatLocalTime("not a date", "UTC")).toBe("not a date");
  });

  it("shows money from minor units", () => {
    expect(formatMoney({ amount: 1200, currency: "CNY" })).toBe("¥12.00");
    expect(formatMoney({ amount: 350, currency: "USD" })).toBe("$3.50");
    expect(formatMoney({ amount: 500, currency: "JPY" })).toBe("¥500");
    expect(formatMoney({ amount: -1999, currency: "CNY" })).toBe("-¥19.99");
    expect(formatMoney({ amount: 1000, currency: "CHF" })).toBe("10.00 CHF");
  });
});
