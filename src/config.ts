import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { durationToMillisApprox } from "./time/durations.js";

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** PostgreSQL prepared statements; PERKWISE_PG_PREPARED_STATEMENTS=off behind PgBouncer in transaction mode. */
  preparedStatements: boolean;
  dataDir: string;
  memory: boolean;
  adminKey: string;
  /** After `perkwise admin-key rotate`: the previous admin key, accepted until the overlap ends. */
  previousAdminKey: PreviousAdminKey | undefined;
  paymentSecret: string;
  logLevel: string;
  /** PERKWISE_METRICS_TOKEN: a bearer token for GET /metrics only (the admin key works too). */
  metricsToken: string | undefined;
  /**
   * PERKWISE_WEBHOOK_ALLOW_PRIVATE=true|false: whether webhook endpoints may be on loopback and
   * private networks; unset: only with `serve --demo` (a trial on one machine).
   */
  webhookAllowPrivate: boolean | undefined;
  /** PERKWISE_PUBLIC_PLANS=true: GET /v1/plans answers without a credential (the platform's shop pages). */
  publicPlans: boolean;
  /** Where each secret comes from, for the start-up printout. */
  secretSources: { adminKey: SecretSource; paymentSecret: SecretSource };
  /** Alipay's notifications (PERKWISE_ALIPAY_*); undefined: its endpoint answers PROVIDER_NOT_CONFIGURED. */
  alipay: AlipayConfig | undefined;
  /** WeChat Pay's APIv3 notifications (PERKWISE_WECHATPAY_*); undefined: PROVIDER_NOT_CONFIGURED. */
  wechatpay: WechatPayConfig | undefined;
  /** Stripe's webhooks (PERKWISE_STRIPE_*); undefined: PROVIDER_NOT_CONFIGURED. */
  stripe: StripeConfig | undefined;
  /**
   * PERKWISE_PAYMENT_QUERY_AFTER (ISO-8601 duration, default PT5M): how long a pending order waits
   * for its provider's notification before the provider's query API is asked (then with backoff).
   */
  paymentQueryAfterMs: number;
}

export const DEFAULT_PAYMENT_QUERY_AFTER = "PT5M";

/** A fixed-length ISO-8601 duration (no years or months) of at least a second and at most a day. */
export function paymentQueryAfterMs(env: NodeJS.ProcessEnv): number {
  const value = env.PERKWISE_PAYMENT_QUERY_AFTER || DEFAULT_PAYMENT_QUERY_AFTER;
  const fixed = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(value);
  const ms = fixed ? durationToMillisApprox(value) : Number.NaN;
  if (!(ms >= 1000 && ms <= 24 * 3600_000))
    throw new Error(
      `invalid PERKWISE_PAYMENT_QUERY_AFTER: ${value} (an ISO-8601 duration from PT1S to P1D, e.g. PT5M)`,
    );
  return ms;
}

/** Our Stripe account: the webhook endpoint's signing secret, and the API key for queries. */
export interface StripeConfig {
  /** PERKWISE_STRIPE_WEBHOOK_SECRET: the endpoint's signing secret (`whsec_…`), verifies Stripe-Signature. */
  webhookSecret: string;
  /** PERKWISE_STRIPE_API_KEY: a secret or restricted key (`sk_…`/`rk_…`) that may read PaymentIntents and Checkout Sessions; for queries (optional here). */
  apiKey: string | undefined;
  /** PERKWISE_STRIPE_BASE_URL: default https://api.stripe.com. */
  baseUrl: string;
}

export const STRIPE_DEFAULT_BASE_URL = "https://api.stripe.com";

/** Stripe is configured by its webhook secret; the API key and base URL are for queries. */
export function stripeConfig(env: NodeJS.ProcessEnv): StripeConfig | undefined {
  const secret = env.PERKWISE_STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    if (env.PERKWISE_STRIPE_API_KEY || env.PERKWISE_STRIPE_BASE_URL)
      throw new Error("Stripe is partly configured: set PERKWISE_STRIPE_WEBHOOK_SECRET too");
    return undefined;
  }
  if (!secret.startsWith("whsec_"))
    throw new Error("PERKWISE_STRIPE_WEBHOOK_SECRET must be the endpoint's signing secret (whsec_…)");
  const baseUrl = env.PERKWISE_STRIPE_BASE_URL || STRIPE_DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`PERKWISE_STRIPE_BASE_URL is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error("PERKWISE_STRIPE_BASE_URL must be http(s)://host[:port]");
  return { webhookSecret: secret, apiKey: env.PERKWISE_STRIPE_API_KEY || undefined, baseUrl };
}

/** Our WeChat Pay merchant: ids, the APIv3 key, and the keys that verify WeChat Pay's signatures. */
export interface WechatPayConfig {
  /** PERKWISE_WECHATPAY_MCHID: our merchant id; a notification for another is refused. */
  mchid: string;
  /** PERKWISE_WECHATPAY_APPID: the appid our payments are made under. */
  appid: string;
  /** PERKWISE_WECHATPAY_APIV3_KEY: 32 bytes, decrypts notifications (AES-256-GCM). */
  apiV3Key: string;
  /**
   * PERKWISE_WECHATPAY_PUBLIC_KEYS: a JSON object, serial → PEM file: platform certificates by
   * their serial number, and WeChat Pay public keys by their id (`PUB_KEY_ID_…`). Both kinds arrive
   * while WeChat Pay migrates a merchant, so configure both; an unknown serial is refused.
   */
  publicKeys: Record<string, string>;
  /** PERKWISE_WECHATPAY_MERCHANT_KEY_FILE and _SERIAL: our API key, for queries (optional here). */
  merchantKey: string | undefined;
  merchantSerial: string | undefined;
  /** PERKWISE_WECHATPAY_BASE_URL: default https://api.mch.weixin.qq.com. */
  baseUrl: string;
}

export const WECHATPAY_DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com";

/** WeChat Pay is configured by its four required variables together; some but not all stops the start. */
export function wechatPayConfig(env: NodeJS.ProcessEnv): WechatPayConfig | undefined {
  const names = [
    "PERKWISE_WECHATPAY_MCHID",
    "PERKWISE_WECHATPAY_APPID",
    "PERKWISE_WECHATPAY_APIV3_KEY",
    "PERKWISE_WECHATPAY_PUBLIC_KEYS",
  ] as const;
  const missing = names.filter((name) => !env[name]);
  if (missing.length === names.length) return undefined;
  if (missing.length > 0) throw new Error(`WeChat Pay is partly configured: set ${missing.join(", ")} too`);
  const apiV3Key = env.PERKWISE_WECHATPAY_APIV3_KEY!;
  if (Buffer.byteLength(apiV3Key) !== 32) throw new Error("PERKWISE_WECHATPAY_APIV3_KEY must be 32 bytes");
  let files: unknown;
  try {
    files = JSON.parse(env.PERKWISE_WECHATPAY_PUBLIC_KEYS!);
  } catch {
    files = null;
  }
  if (files === null || typeof files !== "object" || Array.isArray(files) || Object.keys(files).length === 0)
    throw new Error('PERKWISE_WECHATPAY_PUBLIC_KEYS must be a JSON object {"<serial>": "<PEM file>", …}');
  const publicKeys: Record<string, string> = {};
  for (const [serial, file] of Object.entries(files)) {
    publicKeys[serial] = readPem(`PERKWISE_WECHATPAY_PUBLIC_KEYS[${serial}]`, String(file));
  }
  const keyFile = env.PERKWISE_WECHATPAY_MERCHANT_KEY_FILE;
  return {
    mchid: env.PERKWISE_WECHATPAY_MCHID!,
    appid: env.PERKWISE_WECHATPAY_APPID!,
    apiV3Key,
    publicKeys,
    merchantKey: keyFile ? readPem("PERKWISE_WECHATPAY_MERCHANT_KEY_FILE", keyFile) : undefined,
    merchantSerial: env.PERKWISE_WECHATPAY_MERCHANT_SERIAL || undefined,
    baseUrl: env.PERKWISE_WECHATPAY_BASE_URL || WECHATPAY_DEFAULT_BASE_URL,
  };
}

/** A PEM key or certificate file's text; a start-up error names the variable when it is not one. */
function readPem(variable: string, file: string): string {
  if (!existsSync(file)) throw new Error(`${variable}: ${file} does not exist`);
  const text = readFileSync(file, "utf8").trim();
  if (!text.startsWith("-----BEGIN ")) throw new Error(`${variable}: ${file} is not a PEM key`);
  return text;
}

/** Our Alipay application: ids, keys (PEM, read from their files) and the gateway for queries. */
export interface AlipayConfig {
  /** PERKWISE_ALIPAY_APP_ID: our application's app_id; a notification for another is refused. */
  appId: string;
  /** PERKWISE_ALIPAY_SELLER_ID: our merchant PID (2088…); a notification for another is refused. */
  sellerId: string;
  /** PERKWISE_ALIPAY_PUBLIC_KEY_FILE: Alipay's public key (not our application's), which signs notifications. */
  alipayPublicKey: string;
  /** PERKWISE_ALIPAY_PRIVATE_KEY_FILE: our application's private key (PKCS#1 or PKCS#8), which signs queries. */
  privateKey: string;
  /** PERKWISE_ALIPAY_GATEWAY: default Alipay's production gateway. */
  gateway: string;
}

export const ALIPAY_DEFAULT_GATEWAY = "https://openapi.alipay.com/gateway.do";

/**
 * Alipay is configured by its four variables together (the gateway has a default); none of them
 * leaves it unconfigured, and some but not all is a mistake worth stopping for.
 */
export function alipayConfig(env: NodeJS.ProcessEnv): AlipayConfig | undefined {
  const names = [
    "PERKWISE_ALIPAY_APP_ID",
    "PERKWISE_ALIPAY_SELLER_ID",
    "PERKWISE_ALIPAY_PUBLIC_KEY_FILE",
    "PERKWISE_ALIPAY_PRIVATE_KEY_FILE",
  ] as const;
  const missing = names.filter((name) => !env[name]);
  if (missing.length === names.length) return undefined;
  if (missing.length > 0) throw new Error(`Alipay is partly configured: set ${missing.join(", ")} too`);
  const pem = (name: (typeof names)[number]) => readPem(name, env[name]!);
  return {
    appId: env.PERKWISE_ALIPAY_APP_ID!,
    sellerId: env.PERKWISE_ALIPAY_SELLER_ID!,
    alipayPublicKey: pem("PERKWISE_ALIPAY_PUBLIC_KEY_FILE"),
    privateKey: pem("PERKWISE_ALIPAY_PRIVATE_KEY_FILE"),
    gateway: env.PERKWISE_ALIPAY_GATEWAY || ALIPAY_DEFAULT_GATEWAY,
  };
}

export interface ConfigFlags {
  port?: number;
  memory?: boolean;
}

/**
 * Where a secret the server accepts comes from, for the start-up printout. Secrets belong to the data
 * directory, with or without --memory, so `cat <dataDir>/admin-key` gives the key the server accepts;
 * an environment variable wins over the file.
 */
export type SecretSource =
  | { kind: "file"; path: string; createdNow: boolean }
  /** `conflictingFile`: the data directory also holds this secret, with another value the server does NOT accept. */
  | { kind: "env"; variable: string; conflictingFile?: string };

interface SecretSpec {
  variable: "PERKWISE_ADMIN_KEY" | "PERKWISE_PAYMENT_SECRET";
  file: string;
  make: () => string;
}

const ADMIN_KEY: SecretSpec = {
  variable: "PERKWISE_ADMIN_KEY",
  file: "admin-key",
  make: () => `pwadmin_${randomBytes(24).toString("base64url")}`,
};
const PAYMENT_SECRET: SecretSpec = {
  variable: "PERKWISE_PAYMENT_SECRET",
  file: "payment-secret",
  make: () => `whsec_${randomBytes(32).toString("base64")}`,
};

function readSecretFile(full: string): string | undefined {
  return existsSync(full) ? readFileSync(full, "utf8").trim() : undefined;
}

/**
 * The environment variable when set, else the data directory's file, created on first start. With the
 * variable set, a file holding another value is left as it is — it may be the secret a payment
 * provider or a script still uses, and writing an environment secret to disk is not ours to decide —
 * and reported, so the printout can warn that it is not accepted.
 */
function resolveSecret(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  spec: SecretSpec,
): { value: string; source: SecretSource } {
  const full = path.join(dataDir, spec.file);
  const stored = readSecretFile(full);
  const fromEnv = env[spec.variable];
  if (fromEnv) {
    const conflicting = stored !== undefined && stored !== fromEnv;
    return {
      value: fromEnv,
      source: { kind: "env", variable: spec.variable, ...(conflicting && { conflictingFile: full }) },
    };
  }
  // An empty key would be a key anyone can type: refuse rather than accept it or silently replace it.
  if (stored === "")
    throw new Error(`${full} is empty: delete it (a new secret is created) or write the secret into it`);
  if (stored !== undefined) return { value: stored, source: { kind: "file", path: full, createdNow: false } };
  mkdirSync(dataDir, { recursive: true });
  const value = spec.make();
  writeFileSync(full, `${value}\n`, { mode: 0o600 });
  return { value, source: { kind: "file", path: full, createdNow: true } };
}

/** The printout's words for where a secret lives, plus a warning line when a file holds a key that is not accepted. */
export function describeSecretSource(source: SecretSource): { where: string; warning?: string } {
  if (source.kind === "file") {
    return { where: `(${source.createdNow ? "created now, stored" : "stored"} in ${source.path})` };
  }
  return {
    where: `(from ${source.variable})`,
    ...(source.conflictingFile && {
      warning: `${source.conflictingFile} holds a different value, which this server does NOT accept (${source.variable} wins)`,
    }),
  };
}

export interface PreviousAdminKey {
  key: string;
  validUntil: Date;
}

/** `admin-key.previous` beside `admin-key`: the rotated-out key and, on its second line, until when it is accepted. */
export const PREVIOUS_ADMIN_KEY_FILE = "admin-key.previous";

/** Rotates the data directory's admin key: a new one in `admin-key`, the old one accepted for the overlap. */
export function rotateAdminKeyFile(
  env: NodeJS.ProcessEnv,
  overlapMinutes: number,
  now: number,
): { key: string; previousValidUntil: Date; dataDir: string } {
  if (env.PERKWISE_ADMIN_KEY)
    throw new Error(
      "PERKWISE_ADMIN_KEY is set: the environment owns the admin key. Set a new value there and restart each node.",
    );
  const dataDir = path.resolve(env.PERKWISE_DATA_DIR ?? ".perkwise");
  const current = resolveSecret(env, dataDir, ADMIN_KEY).value;
  const key = ADMIN_KEY.make();
  const previousValidUntil = new Date(now + overlapMinutes * 60_000);
  writeFileSync(
    path.join(dataDir, PREVIOUS_ADMIN_KEY_FILE),
    `${current}\n${previousValidUntil.toISOString()}\n`,
    {
      mode: 0o600,
    },
  );
  writeFileSync(path.join(dataDir, ADMIN_KEY.file), `${key}\n`, { mode: 0o600 });
  return { key, previousValidUntil, dataDir };
}

function previousAdminKey(dataDir: string, now: number): PreviousAdminKey | undefined {
  const stored = readSecretFile(path.join(dataDir, PREVIOUS_ADMIN_KEY_FILE));
  const [key, until] = stored?.split("\n") ?? [];
  const validUntil = new Date(until ?? "");
  if (!key || Number.isNaN(validUntil.getTime()) || validUntil.getTime() <= now) return undefined;
  return { key, validUntil };
}

/** Configuration from the environment; command-line flags win. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const dataDir = path.resolve(env.PERKWISE_DATA_DIR ?? ".perkwise");
  const memory = flags.memory ?? false;
  const admin = resolveSecret(env, dataDir, ADMIN_KEY);
  const payment = resolveSecret(env, dataDir, PAYMENT_SECRET);
  const port = flags.port ?? Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? "127.0.0.1",
    databaseUrl: env.DATABASE_URL || undefined,
    preparedStatements: env.PERKWISE_PG_PREPARED_STATEMENTS !== "off",
    dataDir,
    memory,
    adminKey: admin.value,
    // An environment admin key has no file history: its rotation is the environment's.
    previousAdminKey: admin.source.kind === "file" ? previousAdminKey(dataDir, Date.now()) : undefined,
    paymentSecret: payment.value,
    logLevel: env.LOG_LEVEL ?? "info",
    metricsToken: env.PERKWISE_METRICS_TOKEN || undefined,
    webhookAllowPrivate: optionalBoolean(env, "PERKWISE_WEBHOOK_ALLOW_PRIVATE"),
    publicPlans: optionalBoolean(env, "PERKWISE_PUBLIC_PLANS") ?? false,
    secretSources: { adminKey: admin.source, paymentSecret: payment.source },
    alipay: alipayConfig(env),
    wechatpay: wechatPayConfig(env),
    paymentQueryAfterMs: paymentQueryAfterMs(env),
    stripe: stripeConfig(env),
  };
}

function optionalBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new Error(`invalid ${name}: ${value} (true or false)`);
}
