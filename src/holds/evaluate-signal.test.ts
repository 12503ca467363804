import { describe, expect, it } from "vitest";
import {
  evaluateSignal,
  isOfficialChannel,
  type LocationCount,
  type SignalHistory,
  usualPlace,
} from "./evaluate-signal.js";
import { DEFAULT_RISK_RULES, type RiskRules } from "./risk-rules.js";

const NOW = Date.parse("2026-11-24T02:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const history = (over: Partial<SignalHistory> = {}): SignalHistory => ({
  deviceMembers: [],
  locations: [],
  openReasons: new Set(),
  lastCleared: new Map(),
  ...over,
});
const login = (country?: string, city?: string) => ({
  type: "login" as const,
  deviceId: "dev-1",
  ip: "203.0.113.9",
  ...(country === undefined ? {} : { country }),
  ...(city === undefined ? {} : { city }),
});
const reasons = (rules: RiskRules, signal: Parameters<typeof evaluateSignal>[2], h: SignalHistory) =>
  evaluateSignal(rules, "m1", signal, h, NOW).map((x) => x.reason);
const rules = DEFAULT_RISK_RULES;

describe("shared device", () => {
  it("fires when the member makes one more than maxMembers, not at maxMembers", () => {
    expect(reasons(rules, login(), history({ deviceMembers: ["a", "b"] }))).toEqual([]);
    const held = evaluateSignal(rules, "m1", login(), history({ deviceMembers: ["c", "a", "b"] }), NOW);
    expect(held).toEqual([
      {
        reason: "shared_device",
        details: {
          rule: "shared_device",
          deviceId: "dev-1",
          ip: "203.0.113.9",
          memberCount: 4,
          otherMembers: ["a", "b", "c"],
          maxMembers: 3,
          window: "P1D",
        },
      },
    ]);
  });

  it("counts members, not logins, and never the member twice", () => {
    expect(reasons(rules, login(), history({ deviceMembers: ["a", "b", "m1", "a"] }))).toEqual([]);
  });

  it("is off when disabled, and follows maxMembers", () => {
    const off = { ...rules, sharedDevice: { ...rules.sharedDevice, enabled: false } };
    expect(reasons(off, login(), history({ deviceMembers: ["a", "b", "c", "d"] }))).toEqual([]);
    const one = { ...rules, sharedDevice: { ...rules.sharedDevice, maxMembers: 1 } };
    expect(reasons(one, login(), history({ deviceMembers: ["a"] }))).toEqual(["shared_device"]);
  });

  it("places no second open hold, nor one right after the member cleared the last", () => {
    const h = { deviceMembers: ["a", "b", "c"] };
    expect(reasons(rules, login(), history({ ...h, openReasons: new Set(["shared_device"]) }))).toEqual([]);
    const cleared = (ago: number) => history({ ...h, lastCleared: new Map([["shared_device", NOW - ago]]) });
    expect(reasons(rules, login(), cleared(DAY))).toEqual([]);
    expect(reasons(rules, login(), cleared(DAY + 1))).toEqual(["shared_device"]);
  });
});

describe("unusual location", () => {
  const shanghai = (logins: number, lastAt: number): LocationCount => ({
    country: "CN",
    city: "Shanghai",
    logins,
    lastAt,
  });

  it("fires for another country within the window of a login at the usual place", () => {
    const h = history({ locations: [shanghai(3, NOW - 2 * HOUR)] });
    expect(evaluateSignal(rules, "m1", login("US", "New York"), h, NOW)).toEqual([
      {
        reason: "unusual_location",
        details: {
          rule: "unusual_location",
          usual: { country: "CN", city: null, logins: 3 },
          lastUsualLoginAt: new Date(NOW - 2 * HOUR).toISOString(),
          login: { country: "US", city: "New York", ip: "203.0.113.9", deviceId: "dev-1" },
          window: "PT2H",
          compare: "country",
        },
      },
    ]);
  });

  it("does not fire past the window, below minHistoryLogins, at home, or without a country", () => {
    expect(reasons(rules, login("US"), history({ locations: [shanghai(3, NOW - 2 * HOUR - 1)] }))).toEqual(
      [],
    );
    expect(reasons(rules, login("US"), history({ locations: [shanghai(2, NOW)] }))).toEqual([]);
    expect(reasons(rules, login("CN", "Beijing"), history({ locations: [shanghai(5, NOW)] }))).toEqual([]);
    expect(reasons(rules, login(), history({ locations: [shanghai(5, NOW)] }))).toEqual([]);
  });

  it("with compare: city, another city is far too (case and spaces do not count)", () => {
    const byCity: RiskRules = { ...rules, unusualLocation: { ...rules.unusualLocation, compare: "city" } };
    const h = history({ locations: [shanghai(3, NOW - MINUTE)] });
    expect(reasons(byCity, login("CN", "Beijing"), h)).toEqual(["unusual_location"]);
    expect(reasons(byCity, login("CN", " shanghai "), h)).toEqual([]);
    // No city on the login: only the country can be compared.
    expect(reasons(byCity, login("CN"), h)).toEqual([]);
  });

  it("the usual place is where most logins came from; the latest breaks a tie", () => {
    const places: LocationCount[] = [
      { country: "CN", city: "Shanghai", logins: 2, lastAt: NOW - DAY },
      { country: "CN", city: "Beijing", logins: 2, lastAt: NOW - HOUR },
      { country: "JP", city: "Tokyo", logins: 3, lastAt: NOW - 2 * DAY },
    ];
    expect(usualPlace(places, false)).toEqual({ country: "CN", city: null, logins: 4, lastAt: NOW - HOUR });
    expect(usualPlace(places, true)).toMatchObject({ country: "JP", city: "Tokyo", logins: 3 });
    expect(usualPlace(places.slice(0, 2), true)).toMatchObject({ city: "Beijing" });
    expect(usualPlace([], false)).toBeNull();
  });
});

describe("unofficial channel", () => {
  const purchase = (channel: string) => ({ type: "purchase" as const, channel });
  const partners: RiskRules = {
    ...rules,
    unofficialChannel: { enabled: true, authorizedPartners: ["partner:tmall"] },
  };

  it("official channels and authorized partners pass; anything else is held on every benefit", () => {
    for (const channel of ["official_app", "official_web", "partner:tmall"]) {
      expect(reasons(partners, purchase(channel), history()), channel).toEqual([]);
    }
    for (const channel of ["partner:jd", "taobao_reseller", "official"]) {
      expect(evaluateSignal(partners, "m1", purchase(channel), history(), NOW), channel).toEqual([
        { reason: "unofficial_channel", details: { rule: "unofficial_channel", channel } },
      ]);
    }
    expect(isOfficialChannel(rules, "partner:tmall")).toBe(false);
  });

  it("is off when disabled, and never stacks on an open hold", () => {
    const off = { ...rules, unofficialChannel: { enabled: false, authorizedPartners: [] } };
    expect(reasons(off, purchase("grey"), history())).toEqual([]);
    expect(
      reasons(rules, purchase("grey"), history({ openReasons: new Set(["unofficial_channel"]) })),
    ).toEqual([]);
  });

  it("a purchase never triggers the login rules", () => {
    const busy = history({
      deviceMembers: ["a", "b", "c"],
      locations: [{ country: "CN", city: "Shanghai", logins: 9, lastAt: NOW }],
    });
    expect(reasons(rules, purchase("official_app"), busy)).toEqual([]);
  });
});
