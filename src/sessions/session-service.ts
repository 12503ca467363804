import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { MemberWrites } from "../members/member-writes.js";
import type { ClientSession } from "./session-store.js";

export interface SessionReport {
  platform: string;
  version: string;
  entitlementsVersion: number;
}

export interface SessionReceipt {
  sessionId: string;
  platform: string;
  version: string;
  entitlementsVersion: number;
  reportedAt: string;
  /** The server's entitlements version for the member now. */
  serverEntitlementsVersion: number;
  /** The client's cache is older than the server's: it should refresh. */
  stale: boolean;
}

/**
 * Client sessions. The member's latest session stands in for `context.client` in decisions and
 * diagnosis that do not give one. A report changes what the member's decisions say (a stale cache,
 * an outdated app) but not their entitlements, so it drops the cached snapshot without bumping the
 * entitlements version — a bump would make the very report it answers stale.
 */
export class SessionService {
  constructor(private readonly deps: { writes: MemberWrites; clock: Clock }) {}

  async report(memberId: string, input: SessionReport): Promise<SessionReceipt> {
    return this.deps.writes.run(async (scope) => {
      const member = await scope.stores.members.lock(memberId);
      if (!member)
        throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
          variant: "id",
          params: { memberId: memberId },
        });
      const session = await scope.stores.sessions.insert({
        memberId,
        ...input,
        reportedAt: new Date(this.deps.clock.now()),
      });
      scope.touch(memberId);
      return receipt(session, member.entitlementsVersion);
    });
  }
}

function receipt(session: ClientSession, serverVersion: number): SessionReceipt {
  return {
    sessionId: session.id,
    platform: session.platform,
    version: session.version,
    entitlementsVersion: session.entitlementsVersion,
    reportedAt: session.reportedAt.toISOString(),
    serverEntitlementsVersion: serverVersion,
    stale: session.entitlementsVersion < serverVersion,
  };
}
