/**
 * The risk rules, evaluated: which holds a signal calls for, given the member's recent history.
 * Pure (no I/O; time is an argument), so each rule is tested at its boundaries without a database.
 */
import type { HoldReason } from "./hold-types.js";
import { OFFICIAL_CHANNELS, type RiskRules, windowMillis } from "./risk-rules.js";

export interface LoginSignal {
  type: "login";
  deviceId: string;
  ip: string;
  country?: string;
  city?: string;
}

export interface PurchaseSignal {
  type: "purchase";
  channel: string;
}

export type Signal = LoginSignal | PurchaseSignal;

/** The member's earlier logins from one place (country, and city when known) within the history window. */
export interface LocationCount {
  country: string;
  city: string | null;
  logins: number;
  lastAt: number;
}

/** What the rules need to know besides the signal; the store loads it for the rules' windows. */
export interface SignalHistory {
  /** Other members who logged in on the signal's device within the shared-device window. */
  deviceMembers: readonly string[];
  /** The member's earlier logins within the usual-location history, per place. */
  locations: readonly LocationCount[];
  /** Reasons the member has an open hold for: never a second one. */
  openReasons: ReadonlySet<string>;
  /** When the member's latest hold of each reason was cleared. */
  lastCleared: ReadonlyMap<string, number>;
}

/** A hold the rules call for: every benefit, with the evidence. */
export interface HoldToPlace {
  reason: HoldReason;
  details: Record<string, unknown>;
}

/** Members named in a hold's evidence at most; the count is always exact. */
const MAX_EVIDENCE_MEMBERS = 20;

/** The holds `signal` calls for under `rules`, at `now`. */
export function evaluateSignal(
  rules: RiskRules,
  memberId: string,
  signal: Signal,
  history: SignalHistory,
  now: number,
): HoldToPlace[] {
  const holds: HoldToPlace[] = [];
  const wanted = (reason: HoldReason, window: string | null) => {
    if (history.openReasons.has(reason)) return false;
    // A hold the member just cleared is not placed again for the same evidence: once cleared, the
    // rule starts counting afresh after its window.
    const cleared = history.lastCleared.get(reason);
    return cleared === undefined || window === null || cleared < now - windowMillis(window);
  };
  if (signal.type === "login") {
    const shared = sharedDevice(rules, memberId, signal, history);
    if (shared && wanted("shared_device", rules.sharedDevice.window)) holds.push(shared);
    const unusual = unusualLocation(rules, signal, history, now);
    if (unusual && wanted("unusual_location", rules.unusualLocation.window)) holds.push(unusual);
  } else {
    const unofficial = unofficialChannel(rules, signal);
    if (unofficial && wanted("unofficial_channel", null)) holds.push(unofficial);
  }
  return holds;
}

/** More than `maxMembers` members on one device within the window, this member included. */
function sharedDevice(
  rules: RiskRules,
  memberId: string,
  signal: LoginSignal,
  history: SignalHistory,
): HoldToPlace | null {
  const rule = rules.sharedDevice;
  if (!rule.enabled) return null;
  const members = new Set(history.deviceMembers);
  members.add(memberId);
  if (members.size <= rule.maxMembers) return null;
  const others = [...members].filter((m) => m !== memberId).sort();
  return {
    reason: "shared_device",
    details: {
      rule: "shared_device",
      deviceId: signal.deviceId,
      ip: signal.ip,
      memberCount: members.size,
      otherMembers: others.slice(0, MAX_EVIDENCE_MEMBERS),
      maxMembers: rule.maxMembers,
      window: rule.window,
    },
  };
}

const cityKey = (city: string | null | undefined) => (city ? city.trim().toLowerCase() : "");

interface Place {
  country: string;
  city: string | null;
  logins: number;
  lastAt: number;
}

/** The member's usual place: where most earlier logins came from (the latest breaks a tie). */
export function usualPlace(locations: readonly LocationCount[], byCity: boolean): Place | null {
  const places = new Map<string, Place>();
  for (const l of locations) {
    const key = byCity ? `${l.country}\u0000${cityKey(l.city)}` : l.country;
    const place = places.get(key);
    if (place === undefined) {
      places.set(key, {
        country: l.country,
        city: byCity ? l.city : null,
        logins: l.logins,
        lastAt: l.lastAt,
      });
    } else {
      place.logins += l.logins;
      place.lastAt = Math.max(place.lastAt, l.lastAt);
    }
  }
  let usual: Place | null = null;
  for (const place of places.values()) {
    if (
      usual === null ||
      place.logins > usual.logins ||
      (place.logins === usual.logins && place.lastAt > usual.lastAt)
    ) {
      usual = place;
    }
  }
  return usual;
}

/**
 * A login far from the usual place soon after a login there: "usual" is where most of the member's
 * logins in the history window came from (at least `minHistoryLogins` of them); "far" is another
 * country (or, with `compare: "city"`, another city too — Perkwise has places, not coordinates);
 * "soon" is within `window` of the latest login at the usual place, faster than anyone travels.
 */
function unusualLocation(
  rules: RiskRules,
  signal: LoginSignal,
  history: SignalHistory,
  now: number,
): HoldToPlace | null {
  const rule = rules.unusualLocation;
  if (!rule.enabled || signal.country === undefined) return null;
  const byCity = rule.compare === "city";
  const usual = usualPlace(history.locations, byCity);
  if (usual === null || usual.logins < rule.minHistoryLogins) return null;
  const far =
    signal.country !== usual.country ||
    (byCity && signal.city !== undefined && cityKey(signal.city) !== cityKey(usual.city));
  if (!far || usual.lastAt < now - windowMillis(rule.window)) return null;
  return {
    reason: "unusual_location",
    details: {
      rule: "unusual_location",
      usual: { country: usual.country, city: usual.city, logins: usual.logins },
      lastUsualLoginAt: new Date(usual.lastAt).toISOString(),
      login: { country: signal.country, city: signal.city ?? null, ip: signal.ip, deviceId: signal.deviceId },
      window: rule.window,
      compare: rule.compare,
    },
  };
}

/** Is `channel` official: the platform's own app or web, or a partner the rules authorize? */
export function isOfficialChannel(rules: RiskRules, channel: string): boolean {
  return OFFICIAL_CHANNELS.includes(channel) || rules.unofficialChannel.authorizedPartners.includes(channel);
}

/** A purchase through a channel that is neither the platform's own nor an authorized partner. */
function unofficialChannel(rules: RiskRules, signal: PurchaseSignal): HoldToPlace | null {
  if (!rules.unofficialChannel.enabled || isOfficialChannel(rules, signal.channel)) return null;
  return { reason: "unofficial_channel", details: { rule: "unofficial_channel", channel: signal.channel } };
}
