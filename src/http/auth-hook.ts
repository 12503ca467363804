import { createHash, timingSafeEqual } from "node:crypto";
import type { AuthService } from "../auth/auth-service.js";
import { bearerSecret, isAllowed } from "../auth/auth-service.js";
import { AppError } from "../errors.js";
import type { Server } from "./server-types.js";

/** Authenticates every route that declares `config.roles`, before its body is even parsed. */
export function registerAuthHook(server: Server, auth: AuthService): void {
  server.addHook("onRequest", async (request) => {
    const { roles, acceptsToken } = request.routeOptions.config;
    if (!roles) return;
    // A route may also take a token of its own (GET /metrics: PERKWISE_METRICS_TOKEN, for scrapers).
    const token = acceptsToken?.();
    if (token && bearerMatches(request.headers.authorization, token)) return;
    const principal = await auth.authenticate(request.headers.authorization);
    if (!isAllowed(principal, roles)) {
      throw principal.kind === "member"
        ? new AppError("FORBIDDEN", "A member token is valid only for /v1/me/* routes.", [], {
            variant: "member_token",
          })
        : new AppError("FORBIDDEN", `This route needs one of the roles: ${roles.join(", ")}.`, [], {
            variant: "roles",
            params: { roles: roles.join(", ") },
          });
    }
    request.principal = principal;
  });
}

/** `Bearer <token>` (any case of the scheme), compared in constant time. */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const secret = bearerSecret(authorization);
  if (secret === null) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(secret), digest(token));
}

/** The member of a `/v1/me/*` request. */
export function memberOf(principal: import("../auth/auth-service.js").Principal | null): string {
  if (principal?.kind !== "member")
    throw new AppError("FORBIDDEN", "This route needs a member token.", [], {
      variant: "roles",
      params: { roles: "member" },
    });
  return principal.memberId;
}
