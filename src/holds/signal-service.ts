import { Value } from "@sinclair/typebox/value";
import type { Clock } from "../clock.js";
import type { Stores } from "../db/stores.js";
import { AppError } from "../errors.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import { evaluateSignal, isOfficialChannel, type Signal } from "./evaluate-signal.js";
import { holdView } from "./hold-views.js";
import { placeHold } from "./hold-writes.js";
import {
  DEFAULT_RISK_RULES,
  OFFICIAL_CHANNELS,
  type RiskRules,
  RiskRulesSchema,
  riskRulesProblems,
  windowMillis,
} from "./risk-rules.js";
import type { SignalStore } from "./signal-store.js";

/** Members a shared-device hold's evidence names at most (the count of members is exact up to here). */
const DEVICE_MEMBERS_READ = 100;

/** The stored rules, or the defaults when none were stored (or the stored ones no longer validate). */
async function loadRules(stores: Pick<Stores, "signals">): Promise<RiskRules> {
  const stored = await stores.signals.readRules();
  return stored !== null && Value.Check(RiskRulesSchema, stored) ? stored : DEFAULT_RISK_RULES;
}

/** Risk signals in, holds out; and the rules that connect them, editable by admins. */
export class SignalService {
  constructor(private readonly deps: { store: SignalStore; writes: MemberWrites; clock: Clock }) {}

  /**
   * Records a signal and places the holds the rules call for, in one transaction: a decision right
   * after the signal already sees the hold.
   */
  async record(memberId: string, signal: Signal) {
    return this.deps.writes.run(async (scope) => {
      const stores = scope.stores;
      if (!(await stores.members.lock(memberId))) {
        throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
          variant: "id",
          params: { memberId: memberId },
        });
      }
      const now = this.deps.clock.now();
      const rules = await loadRules(stores);
      let deviceMembers: string[] = [];
      let locations: Awaited<ReturnType<Stores["signals"]["locations"]>> = [];
      if (signal.type === "login") {
        if (rules.sharedDevice.enabled) {
          await stores.signals.lockDevice(signal.deviceId);
          const since = new Date(now - windowMillis(rules.sharedDevice.window));
          deviceMembers = await stores.signals.deviceMembers(
            signal.deviceId,
            memberId,
            since,
            DEVICE_MEMBERS_READ,
          );
        }
        if (rules.unusualLocation.enabled) {
          const since = new Date(now - windowMillis(rules.unusualLocation.history));
          locations = await stores.signals.locations(memberId, since);
        }
      }
      const holds = await stores.holds.listForMember(memberId);
      const openReasons = new Set(holds.filter((h) => h.status === "open").map((h) => h.reason as string));
      const lastCleared = await stores.holds.lastCleared(memberId);
      await stores.signals.insert(memberId, signal, new Date(now));
      const toPlace = evaluateSignal(
        rules,
        memberId,
        signal,
        { deviceMembers, locations, openReasons, lastCleared },
        now,
      );
      const placed = [];
      for (const hold of toPlace) {
        const record = await placeHold(
          scope,
          { memberId, reason: hold.reason, benefits: null, details: hold.details },
          { id: `rule:${hold.reason}`, source: "system" },
          now,
        );
        if (record !== null) placed.push(holdView(record));
      }
      return { memberId, type: signal.type, at: new Date(now).toISOString(), holdsPlaced: placed };
    });
  }

  /**
   * A paid order is a purchase signal of its channel, judged in the payment's transaction (the
   * member is locked): an unofficial channel places the `unofficial_channel` hold without the
   * platform sending a signal. Official channels and a disabled rule write nothing.
   */
  async judgePaidOrder(
    scope: MemberWriteScope,
    paid: { memberId: string; orderId: string; channel: string },
  ): Promise<void> {
    // The platform's own channels are official whatever the rules say: no read on the payment's hot path.
    if (OFFICIAL_CHANNELS.includes(paid.channel)) return;
    const rules = await loadRules(scope.stores);
    if (!rules.unofficialChannel.enabled || isOfficialChannel(rules, paid.channel)) return;
    const { memberId } = paid;
    const now = this.deps.clock.now();
    const signal: Signal = { type: "purchase", channel: paid.channel };
    const holds = await scope.stores.holds.listForMember(memberId);
    const openReasons = new Set(holds.filter((h) => h.status === "open").map((h) => h.reason as string));
    const lastCleared = await scope.stores.holds.lastCleared(memberId);
    await scope.stores.signals.insert(memberId, signal, new Date(now));
    const history = { deviceMembers: [], locations: [], openReasons, lastCleared };
    for (const hold of evaluateSignal(rules, memberId, signal, history, now)) {
      await placeHold(
        scope,
        {
          memberId,
          reason: hold.reason,
          benefits: null,
          details: { ...hold.details, orderId: paid.orderId },
        },
        { id: `rule:${hold.reason}`, source: "system" },
        now,
      );
    }
  }

  async rules(): Promise<RiskRules> {
    return loadRules({ signals: this.deps.store });
  }

  /** Replaces the rules; every problem the schema could not see is listed at once. */
  async putRules(rules: RiskRules): Promise<RiskRules> {
    const problems = riskRulesProblems(rules);
    if (problems.length > 0) {
      throw new AppError("VALIDATION_FAILED", `The risk rules have ${problems.length} problem(s).`, problems);
    }
    await this.deps.store.writeRules(rules);
    return rules;
  }
}
