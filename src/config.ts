import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** PostgreSQL prepared statements; PERKWISE_PG_PREPARED_STATEMENTS=off behind PgBouncer in transaction mode. */
  preparedStatements: boolean;
  dataDir: string;
  memory: boolean;
  adminKey: string;
  paymentSecret: string;
  logLevel: string;
  /** PERKWISE_METRICS_TOKEN: a bearer token for GET /metrics only (the admin key works too). */
  metricsToken: string | undefined;
  /**
   * PERKWISE_WEBHOOK_ALLOW_PRIVATE=true|false: whether webhook endpoints may be on loopback and
   * private networks; unset: only with `serve --demo` (a trial on one machine).
   */
  webhookAllowPrivate: boolean | undefined;
  /** Secrets created on this start (embedded mode), to print once. */
  generated: { adminKey: boolean; paymentSecret: boolean };
}

export interface ConfigFlags {
  port?: number;
  memory?: boolean;
}

/** Reads a secret from the data directory, creating it on first start; in-memory mode keeps it in memory. */
function persistentSecret(dataDir: string, memory: boolean, file: string, make: () => string) {
  if (memory) return { value: make(), generated: true };
  const full = path.join(dataDir, file);
  if (existsSync(full)) return { value: readFileSync(full, "utf8").trim(), generated: false };
  mkdirSync(dataDir, { recursive: true });
  const value = make();
  writeFileSync(full, `${value}\n`, { mode: 0o600 });
  return { value, generated: true };
}

/** Configuration from the environment; command-line flags win. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const dataDir = path.resolve(env.PERKWISE_DATA_DIR ?? ".perkwise");
  const memory = flags.memory ?? false;
  const admin = env.PERKWISE_ADMIN_KEY
    ? { value: env.PERKWISE_ADMIN_KEY, generated: false }
    : persistentSecret(
        dataDir,
        memory,
        "admin-key",
        () => `pwadmin_${randomBytes(24).toString("base64url")}`,
      );
  const payment = env.PERKWISE_PAYMENT_SECRET
    ? { value: env.PERKWISE_PAYMENT_SECRET, generated: false }
    : persistentSecret(
        dataDir,
        memory,
        "payment-secret",
        () => `whsec_${randomBytes(32).toString("base64")}`,
      );
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
    paymentSecret: payment.value,
    logLevel: env.LOG_LEVEL ?? "info",
    metricsToken: env.PERKWISE_METRICS_TOKEN || undefined,
    webhookAllowPrivate: optionalBoolean(env, "PERKWISE_WEBHOOK_ALLOW_PRIVATE"),
    generated: { adminKey: admin.generated, paymentSecret: payment.generated },
  };
}

function optionalBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new Error(`invalid ${name}: ${value} (true or false)`);
}
