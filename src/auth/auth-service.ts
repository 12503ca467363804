import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { ApiKeyRole } from "./api-key-roles.js";
import { type ApiKeyRecord, type AuthStore, LAST_USED_RESOLUTION_MS } from "./auth-store.js";

export type Principal =
  | { kind: "admin" | "service" | "support"; keyId: string }
  | { kind: "member"; memberId: string };

export const MEMBER_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const TOKEN_ISSUER = "perkwise";
const TOKEN_AUDIENCE = "perkwise-member";
const API_KEY_PATTERN = /^pwk_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** The cluster channel on which a node tells the others that a key was revoked or rotated. */
export const API_KEYS_CHANNEL = "api_keys";
/** How long a rotated key's old secret stays accepted, unless the rotation says otherwise. */
export const DEFAULT_ROTATION_OVERLAP_MINUTES = 60;

/** An API key as operators see it: never its secret. */
export function apiKeyView(k: ApiKeyRecord) {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    /** Set after a rotation: until then the previous secret is still accepted. */
    previousSecretValidUntil: k.previousValidUntil?.toISOString() ?? null,
  };
}

export interface AuthServiceOptions {
  adminKey: string;
  /** A rotated-out admin key, accepted until `validUntil`. */
  previousAdminKey?: { key: string; validUntil: Date };
  store: AuthStore;
  clock: Clock;
  /** Tells the other nodes that a key was revoked or rotated (the cluster bus), after the write. */
  announce?: (keyId: string) => Promise<void>;
  /** A failed `last_used_at` write: reported, never the request's failure. */
  onError?: (error: unknown) => void;
}

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
  private readonly previousAdmin: { hash: Buffer; validUntil: number } | null;
  private tokenSecret: Uint8Array | null = null;
  /** Verified credentials, so the hot path neither hits the database nor re-verifies a JWT. */
  private readonly verified = new LRUCache<string, { principal: Principal; expiresAt: number }>({
    max: 50_000,
    ttl: 60_000,
  });
  /** When this node last recorded each key's use. */
  private readonly lastRecordedUse = new Map<string, number>();

  private readonly store: AuthStore;
  private readonly clock: Clock;
  private readonly announce: (keyId: string) => Promise<void>;
  private readonly onError: (error: unknown) => void;

  constructor(options: AuthServiceOptions) {
    this.adminKeyHash = sha256(options.adminKey);
    const previous = options.previousAdminKey;
    this.previousAdmin = previous
      ? { hash: sha256(previous.key), validUntil: previous.validUntil.getTime() }
      : null;
    this.store = options.store;
    this.clock = options.clock;
    this.announce = options.announce ?? (async () => {});
    this.onError = options.onError ?? (() => {});
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
    const now = this.clock.now();
    const cached = this.verified.get(secret);
    // A cached credential still expires on time (by our clock, which tests move): a member token, an
    // API key with an expiry, a rotated key's previous secret.
    const { principal } = cached && now < cached.expiresAt ? cached : await this.verifyAndCache(secret);
    if (principal.kind !== "member" && principal.keyId !== "admin") this.recordUse(principal.keyId, now);
    return principal;
  }

  private async verifyAndCache(secret: string) {
    const verified = await this.verify(secret, sha256(secret));
    this.verified.set(secret, verified);
    return verified;
  }

  /** Writes a key's `last_used_at` at most once a minute per node, off the request's path. */
  private recordUse(keyId: string, now: number): void {
    const last = this.lastRecordedUse.get(keyId);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastRecordedUse.set(keyId, now);
    this.store.touchApiKeys([keyId], new Date(now)).catch(this.onError);
  }

  /** Drops this node's verified credentials of a key (revoked or rotated, here or on another node). */
  forgetKey(keyId: string): void {
    for (const [secret, entry] of this.verified.entries()) {
      if (entry.principal.kind !== "member" && entry.principal.keyId === keyId) this.verified.delete(secret);
    }
  }

  /** Drops every verified credential (the cluster link was down: messages may have been lost). */
  forgetAll(): void {
    this.verified.clear();
  }

  private async verify(secret: string, digest: Buffer): Promise<{ principal: Principal; expiresAt: number }> {
    const forever = Number.POSITIVE_INFINITY;
    if (timingSafeEqual(digest, this.adminKeyHash))
      return { principal: { kind: "admin", keyId: "admin" }, expiresAt: forever };
    if (
      this.previousAdmin &&
      this.clock.now() < this.previousAdmin.validUntil &&
      timingSafeEqual(digest, this.previousAdmin.hash)
    )
      return { principal: { kind: "admin", keyId: "admin" }, expiresAt: this.previousAdmin.validUntil };
    const apiKey = API_KEY_PATTERN.exec(secret);
    if (apiKey) {
      const record = await this.store.getApiKey(apiKey[1]);
      const now = this.clock.now();
      const expiresAt = record?.expiresAt?.getTime() ?? forever;
      if (record && !record.revokedAt && now < expiresAt) {
        const principal = { kind: record.role, keyId: record.id };
        if (timingSafeEqual(Buffer.from(record.secretHash, "base64"), digest))
          return { principal, expiresAt };
        // A rotated key's previous secret, until its overlap ends.
        const previousUntil = record.previousValidUntil?.getTime() ?? 0;
        if (
          record.previousSecretHash !== null &&
          now < previousUntil &&
          timingSafeEqual(Buffer.from(record.previousSecretHash, "base64"), digest)
        )
          return { principal, expiresAt: Math.min(expiresAt, previousUntil) };
      }
      throw refused("invalid", "Unknown, revoked, expired or rotated-out API key.");
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
  async createApiKey(name: string, role: ApiKeyRole, expiresAt: Date | null = null) {
    if (expiresAt !== null && expiresAt.getTime() <= this.clock.now())
      throw new AppError("VALIDATION_FAILED", "An API key must expire in the future.", [
        { path: "/expiresAt", message: "must be after now" },
      ]);
    const id = randomBytes(8).toString("hex");
    const key = newSecret(id);
    const record = await this.store.insertApiKey({
      id,
      name,
      role,
      secretHash: sha256(key).toString("base64"),
      expiresAt,
    });
    return { ...apiKeyView(record), key };
  }

  async listApiKeys() {
    return (await this.store.listApiKeys()).map(apiKeyView);
  }

  /** Revokes a key at once, on every node; null when there is no such key. Revoking twice changes nothing. */
  async revokeApiKey(id: string) {
    const record = await this.store.revokeApiKey(id, new Date(this.clock.now()));
    if (record === null) return null;
    this.forgetKey(id);
    await this.announce(id);
    return apiKeyView(record);
  }

  /**
   * A new secret for a live key; the current one stays accepted for `overlapMinutes` (0: refused at
   * once), so the platform can deploy the new one. Null when there is no such live key.
   */
  async rotateApiKey(id: string, overlapMinutes = DEFAULT_ROTATION_OVERLAP_MINUTES) {
    const key = newSecret(id);
    const until = new Date(this.clock.now() + overlapMinutes * 60_000);
    const record = await this.store.rotateApiKey(id, sha256(key).toString("base64"), until);
    if (record === null) return null;
    this.forgetKey(id);
    await this.announce(id);
    return { ...apiKeyView(record), key };
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

function newSecret(id: string): string {
  return `pwk_${id}.${randomBytes(32).toString("base64url")}`;
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
