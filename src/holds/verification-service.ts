import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import type { AuthService } from "../auth/auth-service.js";
import type { Clock } from "../clock.js";
import { AppError, type ErrorCode, type ErrorDetail } from "../errors.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import type { HoldRecord } from "./hold-types.js";
import { memberHoldView } from "./hold-views.js";
import { clearHold } from "./hold-writes.js";
import type { VerificationRecord } from "./verification-store.js";

const MINUTE = 60_000;

/** The one-time-code policy: brute force must not work, and a member who mistypes still gets in. */
export const VERIFICATION_POLICY = {
  /** How long a code is valid. */
  codeTtlMs: 10 * MINUTE,
  /** The least time between two codes for one hold (each one is an SMS or e-mail). */
  resendAfterMs: MINUTE,
  /** Wrong codes in a row (across re-sent codes) before the lockout. */
  maxAttempts: 5,
  /** How long a lockout lasts; its code is void, a new one may be requested after it. */
  lockoutMs: 15 * MINUTE,
} as const;

/** Outbox event that asks the platform to deliver a code (SMS, e-mail). */
export const CODE_REQUESTED_EVENT = "verification.code_requested";

/** A refusal that must commit what it wrote (a counted attempt, a lockout) before it is thrown. */
interface Refusal {
  refused: { code: ErrorCode; message: string; details: ErrorDetail[] };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Identity verification that clears a hold: a 6-digit one-time code, delivered by the platform from
 * an outbox event, stored as an HMAC (keyed by a server secret, so a leaked table does not give the
 * codes away to a million guesses) and compared in constant time.
 */
export class VerificationService {
  private key: Buffer | null = null;

  constructor(private readonly deps: { auth: AuthService; writes: MemberWrites; clock: Clock }) {}

  /** Loads (or creates, first writer wins across nodes) the key that hashes codes. */
  async init(): Promise<void> {
    this.key = await this.deps.auth.secret("verification_code_key");
  }

  private hash(holdId: string, code: string): string {
    if (this.key === null) throw new Error("VerificationService.init() was not called");
    return createHmac("sha256", this.key).update(`${holdId}:${code}`).digest("base64");
  }

  /** Sends a new code for the member's own hold (through the outbox); never returns the code. */
  async requestCode(memberId: string, holdId: string) {
    return this.deps.writes.run(async (scope) => {
      const hold = await this.ownOpenHold(scope, memberId, holdId);
      const now = this.deps.clock.now();
      const current = await scope.stores.verifications.get(holdId);
      refuseIfLocked(current, now);
      if (current !== null && now < current.requestedAt.getTime() + VERIFICATION_POLICY.resendAfterMs) {
        const retryAt = iso(current.requestedAt.getTime() + VERIFICATION_POLICY.resendAfterMs);
        throw new AppError("RATE_LIMITED", `A code was sent moments ago; request another after ${retryAt}.`, [
          { path: "", message: "a code was sent less than a minute ago", retryAt },
        ]);
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const expiresAt = now + VERIFICATION_POLICY.codeTtlMs;
      await scope.stores.verifications.save({
        holdId,
        memberId,
        codeHash: this.hash(holdId, code),
        expiresAt: new Date(expiresAt),
        requestedAt: new Date(now),
        // Wrong codes keep counting across new codes: re-sending must not reset the brute-force budget.
        attempts: current?.attempts ?? 0,
        lockedUntil: null,
      });
      // The platform delivers the code by SMS or e-mail, so the event carries it in clear.
      await scope.stores.outbox.append({
        memberId,
        type: CODE_REQUESTED_EVENT,
        payload: { memberId, holdId, code, expiresAt: iso(expiresAt) },
      });
      await this.audit(scope, hold, "code_sent", now, { expiresAt: iso(expiresAt) });
      await scope.record(memberId, "member", {
        kind: "hold.verification_requested",
        data: { holdId, expiresAt: iso(expiresAt) },
      });
      return {
        holdId,
        expiresAt: iso(expiresAt),
        resendAfter: iso(now + VERIFICATION_POLICY.resendAfterMs),
      };
    });
  }

  /** Checks a code; the right one clears the hold. Wrong codes count toward a lockout. */
  async verify(memberId: string, holdId: string, code: string) {
    const outcome = await this.deps.writes.run(async (scope) => {
      const hold = await this.ownOpenHold(scope, memberId, holdId);
      const now = this.deps.clock.now();
      const current = await scope.stores.verifications.get(holdId);
      // Even the right code is refused while locked: otherwise the lockout would only slow guessing.
      refuseIfLocked(current, now);
      if (current === null || current.codeHash === null || current.expiresAt === null) {
        throw new AppError("VERIFICATION_NOT_REQUESTED", "There is no code to check; request one first.");
      }
      if (current.expiresAt.getTime() <= now) {
        await scope.stores.verifications.save({ ...current, codeHash: null, expiresAt: null });
        await this.audit(scope, hold, "code_expired", now, { expiredAt: iso(current.expiresAt.getTime()) });
        return refusal("VERIFICATION_EXPIRED", "The code has expired; request a new one.", {
          expiredAt: iso(current.expiresAt.getTime()),
        });
      }
      const given = Buffer.from(this.hash(holdId, code), "base64");
      if (!timingSafeEqual(given, Buffer.from(current.codeHash, "base64"))) {
        return this.wrongCode(scope, hold, current, now);
      }
      await scope.stores.verifications.save({ ...current, codeHash: null, expiresAt: null, attempts: 0 });
      await this.audit(scope, hold, "code_verified", now, {});
      const cleared = await clearHold(
        scope,
        hold,
        "verify_identity",
        null,
        { id: `member:${memberId}`, source: "member" },
        now,
      );
      // The member row is locked and the hold was open: only a writer that skipped the lock could
      // have cleared it in between.
      if (cleared === null) throw new AppError("HOLD_NOT_OPEN", `Hold ${holdId} was cleared already.`);
      return { ...memberHoldView(cleared.hold), entitlementsVersion: cleared.entitlementsVersion };
    });
    if ("refused" in outcome) {
      const { code: errorCode, message, details } = outcome.refused;
      throw new AppError(errorCode, message, details);
    }
    return outcome;
  }

  private async wrongCode(
    scope: MemberWriteScope,
    hold: HoldRecord,
    current: VerificationRecord,
    now: number,
  ): Promise<Refusal> {
    const attempts = current.attempts + 1;
    if (attempts >= VERIFICATION_POLICY.maxAttempts) {
      const lockedUntil = now + VERIFICATION_POLICY.lockoutMs;
      await scope.stores.verifications.save({
        ...current,
        codeHash: null,
        expiresAt: null,
        attempts: 0,
        lockedUntil: new Date(lockedUntil),
      });
      await this.audit(scope, hold, "code_failed", now, { attempts });
      await this.audit(scope, hold, "locked_out", now, { lockedUntil: iso(lockedUntil) });
      await scope.record(hold.memberId, "member", {
        kind: "hold.verification_locked",
        data: { holdId: hold.id, lockedUntil: iso(lockedUntil) },
      });
      return refusal("VERIFICATION_LOCKED", lockedMessage(lockedUntil), { lockedUntil: iso(lockedUntil) });
    }
    await scope.stores.verifications.save({ ...current, attempts });
    const attemptsLeft = VERIFICATION_POLICY.maxAttempts - attempts;
    await this.audit(scope, hold, "code_failed", now, { attempts });
    return refusal("VERIFICATION_FAILED", `Wrong code; ${attemptsLeft} attempt(s) left.`, { attemptsLeft });
  }

  /** The member's own open hold that verification can clear; another member's hold is "not found". */
  private async ownOpenHold(scope: MemberWriteScope, memberId: string, holdId: string): Promise<HoldRecord> {
    // Every writer of a member locks its row first: attempts of one member take turns.
    await scope.stores.members.lock(memberId);
    const hold = await scope.stores.holds.get(holdId);
    if (hold === null || hold.memberId !== memberId) {
      throw new AppError("HOLD_NOT_FOUND", `You have no hold ${holdId}.`);
    }
    if (hold.status !== "open") throw new AppError("HOLD_NOT_OPEN", `Hold ${holdId} was cleared already.`);
    if (hold.clearMethod !== "verify_identity") {
      throw new AppError(
        "HOLD_NOT_SELF_CLEARABLE",
        `Hold ${holdId} is cleared by our support team, not by verification; please contact support.`,
      );
    }
    return hold;
  }

  private audit(
    scope: MemberWriteScope,
    hold: HoldRecord,
    kind: string,
    now: number,
    data: Record<string, unknown>,
  ) {
    return scope.stores.holds.appendEvents([
      {
        holdId: hold.id,
        memberId: hold.memberId,
        kind,
        actor: `member:${hold.memberId}`,
        at: new Date(now),
        data,
      },
    ]);
  }
}

function refusal(code: ErrorCode, message: string, details: Record<string, unknown>): Refusal {
  return {
    refused: {
      code,
      message,
      details: [{ path: code === "VERIFICATION_FAILED" ? "/code" : "", message, ...details }],
    },
  };
}

function lockedMessage(lockedUntil: number): string {
  return `Too many wrong codes: verification is locked until ${iso(lockedUntil)}.`;
}

function refuseIfLocked(current: VerificationRecord | null, now: number): void {
  const until = current?.lockedUntil?.getTime();
  if (until !== undefined && now < until) {
    throw new AppError("VERIFICATION_LOCKED", lockedMessage(until), [
      { path: "", message: lockedMessage(until), lockedUntil: iso(until) },
    ]);
  }
}
