import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { ApiKeyRole } from "./api-key-roles.js";
import type { AuthStore } from "./auth-store.js";

export type Principal =
  | { kind: "admin" | "service" | "support"; keyId: string }
  | { kind: "member"; memberId: string };

export const MEMBER_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const TOKEN_ISSUER = "perkwise";
const TOKEN_AUDIENCE = "perkwise-member";
const API_KEY_PATTERN = /^pwk_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/**
 * `Authorization: Bearer <secret>`. The scheme is case-insensitive and may be followed by more than
 * one space (RFC 7235 §2.1); the secret is one token68-like run without whitespace.
 */
export function bearerSecret(authorization: string | undefined): string | null {
  const match = authorization ? /^bearer +([^\s]{1,2048})$/i.exec(authorization) : null;
  return match ? match[1] : null;
}

/** A 401 for credentials that were sent but are not accepted; `details[0].reason` says why. */
function refused(reason: "invalid" | "expired", logMessage: string, expiredAt?: string): AppError {
  const detail = {
    path: "/authorization",
    in: "headers",
    reason,
    message:
      reason === "expired"
        ? `the member token expired at ${expiredAt}`
        : "not an admin key, a live API key or a member token signed by this server",
    ...(expiredAt && { expiredAt }),
  };
  return new AppError("UNAUTHENTICATED", logMessage, [detail], {
    variant: reason,
    params: expiredAt ? { expiredAt } : {},
  });
}

/** Admin key, hashed API keys with roles, and member tokens (JWT) for `/v1/me/*`. */
export class AuthService {
  private readonly adminKeyHash: Buffer;
  private tokenSecret: Uint8Array | null = null;
  /** Verified credentials, so the hot path neither hits the database nor re-verifies a JWT. */
  private readonly verified = new LRUCache<string, { principal: Principal; expiresAt: number }>({
    max: 50_000,
    ttl: 60_000,
  });

  private readonly store: AuthStore;
  private readonly clock: Clock;

  constructor(deps: { adminKey: string; store: AuthStore; clock: Clock }) {
    this.adminKeyHash = sha256(deps.adminKey);
    this.store = deps.store;
    this.clock = deps.clock;
  }

  /** Loads (or creates, first writer wins across nodes) the member-token signing secret. */
  async init(): Promise<void> {
    this.tokenSecret = await this.secret("member_token_secret");
  }

  /**
   * The 32-byte secret stored under `name`, created at random by the first node that asks (first
   * writer wins across nodes): the member-token key here, the verification-code key of holds.
   */
  async secret(name: string): Promise<Buffer> {
    const secret = await this.store.settingOnce(name, randomBytes(32).toString("base64url"));
    return Buffer.from(secret, "base64url");
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const secret = bearerSecret(authorization);
    if (secret === null)
      throw new AppError(
        "UNAUTHENTICATED",
        "Send Authorization: Bearer <admin key, API key or member token>.",
      );
    // Keyed by the credential itself: the hot path does no hashing. Only verified credentials are
    // cached, and each is checked in constant time before it ever gets here.
    const cached = this.verified.get(secret);
    // A cached member token still expires on time (by our clock, which tests move).
    if (cached && this.clock.now() < cached.expiresAt) return cached.principal;
    const verified = await this.verify(secret, sha256(secret));
    this.verified.set(secret, verified);
    return verified.principal;
  }

  private async verify(secret: string, digest: Buffer): Promise<{ principal: Principal; expiresAt: number }> {
    const forever = Number.POSITIVE_INFINITY;
    if (timingSafeEqual(digest, this.adminKeyHash))
      return { principal: { kind: "admin", keyId: "admin" }, expiresAt: forever };
    const apiKey = API_KEY_PATTERN.exec(secret);
    if (apiKey) {
      const record = await this.store.getApiKey(apiKey[1]);
      const stored = record ? Buffer.from(record.secretHash, "base64") : null;
      if (record && !record.revokedAt && stored && timingSafeEqual(stored, digest)) {
        return { principal: { kind: record.role, keyId: record.id }, expiresAt: forever };
      }
      throw refused("invalid", "Unknown or revoked API key.");
    }
    try {
      const { payload } = await jwtVerify(secret, this.requireTokenSecret(), {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ["HS256"],
        currentDate: new Date(this.clock.now()),
      });
      if (typeof payload.sub !== "string" || typeof payload.exp !== "number")
        throw new Error("no subject or expiry");
      return { principal: { kind: "member", memberId: payload.sub }, expiresAt: payload.exp * 1000 };
    } catch (error) {
      // jose checks the signature before the claims: only a token this server signed can be "expired".
      if (error instanceof joseErrors.JWTExpired && typeof error.payload.exp === "number") {
        throw refused("expired", "Expired member token.", new Date(error.payload.exp * 1000).toISOString());
      }
      throw refused("invalid", "Invalid credentials.");
    }
  }

  /** Creates an API key; the secret is returned once and only its hash is stored. */
  async createApiKey(name: string, role: ApiKeyRole) {
    const id = randomBytes(8).toString("hex");
    const key = `pwk_${id}.${randomBytes(32).toString("base64url")}`;
    const record = await this.store.insertApiKey({
      id,
      name,
      role,
      secretHash: sha256(key).toString("base64"),
    });
    return { id, name, role, key, createdAt: record.createdAt.toISOString() };
  }

  async listApiKeys() {
    const keys = await this.store.listApiKeys();
    return keys.map((k) => ({
      id: k.id,
      name: k.name,
      role: k.role,
      createdAt: k.createdAt.toISOString(),
      revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
  }

  /** A member token, valid only for that member's `/v1/me/*`. */
  async memberToken(memberId: string, ttlSeconds = MEMBER_TOKEN_TTL_SECONDS) {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(memberId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + ttlSeconds)
      .sign(this.requireTokenSecret());
    return { memberId, token, expiresAt: new Date((nowSeconds + ttlSeconds) * 1000).toISOString() };
  }

  private requireTokenSecret(): Uint8Array {
    if (!this.tokenSecret) throw new Error("AuthService.init() was not called");
    return this.tokenSecret;
  }
}

/** May this principal call a route open to `roles`? An admin may do whatever service and support may. */
export function isAllowed(
  principal: Principal,
  roles: readonly ("admin" | "service" | "support" | "member")[],
): boolean {
  if (principal.kind === "member") return roles.includes("member");
  if (roles.includes(principal.kind)) return true;
  return principal.kind === "admin" && (roles.includes("service") || roles.includes("support"));
}
