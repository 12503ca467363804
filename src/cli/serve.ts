import { createApp } from "../app.js";
import { systemClock } from "../clock.js";
import { describeSecretSource, type SecretSource } from "../config.js";
import { demoProviderConfig, demoProviders } from "../demo/demo-providers.js";
import { DEMO_MEMBERS, seedDemo } from "../demo/seed-demo.js";
import { eventOptionsFromEnv } from "../events/event-config.js";
import { eventPruneJob } from "../events/event-prune-job.js";
import { HttpServerPart } from "../http/http-server-part.js";
import { buildServer } from "../http/server.js";
import { nightlyReconcileJob } from "../reconcile/reconcile-job-kinds.js";
import { openConfigured } from "./open.js";

/** `perkwise serve`: migrations, optional demo data, then the HTTP server until SIGTERM/SIGINT. */
export async function serve(flags: { memory?: boolean; port?: number; demo?: boolean }) {
  const { config, database } = await openConfigured(flags);
  let seeded = false;
  if (flags.demo) {
    seeded = await seedDemo({
      database,
      adminKey: config.adminKey,
      paymentSecret: config.paymentSecret,
      now: Date.now(),
    });
  }
  // The demo accepts each provider's notifications, signed with keys it generated, unless the
  // environment configures the real provider.
  const demo = flags.demo ? demoProviderConfig(demoProviders(config.dataDir, true)!) : undefined;
  const alipay = config.alipay ?? demo?.alipay;
  const wechatpay = config.wechatpay ?? demo?.wechatpay;
  const stripe = config.stripe ?? demo?.stripe;
  const app = createApp({
    database,
    clock: systemClock,
    adminKey: config.adminKey,
    previousAdminKey: config.previousAdminKey,
    paymentSecret: config.paymentSecret,
    metricsToken: config.metricsToken,
    publicPlans: config.publicPlans,
    webhooks: { allowPrivateNetworks: config.webhookAllowPrivate ?? flags.demo === true },
    alipay,
    wechatpay,
    stripe,
    paymentQuery: { afterMs: config.paymentQueryAfterMs },
    events: { ...eventOptionsFromEnv(process.env), onError: (error) => console.error("events:", error) },
  });
  const server = await buildServer(app, { logLevel: config.logLevel });
  // The nightly reconciliation: each run schedules the next; the key makes this a no-op when one is
  // already scheduled (by another process, or by last night's run).
  await app.data.jobs.schedule([nightlyReconcileJob(app.clock.now()), eventPruneJob(app.clock.now())]);
  // On stop: no new connections, in-flight requests finish (streams end first: event-routes' preClose
  // hook). Keep-alive connections that stay busy get 10 s before they are cut.
  const http = new HttpServerPart(server, { port: config.port, host: config.host }, 10_000);
  try {
    // A port in use fails the start: the workers that started before it are stopped again.
    await app.start({ workers: true, after: [http] });
  } catch (error) {
    await database.close();
    throw error;
  }
  const url = http.url.replace("[::1]", "localhost");

  const lines = [
    "",
    `Perkwise is running at ${url}   (API docs: ${url}/docs)`,
    `  member centre:   ${url}/   operator console: ${url}/admin (sign in with the admin key)`,
    `  database:        ${database.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : config.memory ? "PGlite in memory" : `PGlite in ${config.dataDir}/data`}`,
    ...secretLines("admin key:      ", config.adminKey, config.secretSources.adminKey),
    ...(config.previousAdminKey
      ? [`    the previous admin key is accepted until ${config.previousAdminKey.validUntil.toISOString()}`]
      : []),
    ...secretLines("payment secret: ", config.paymentSecret, config.secretSources.paymentSecret),
    `  payment providers: ${providerLine({
      alipay: [config.alipay, alipay],
      wechatpay: [config.wechatpay, wechatpay],
      stripe: [config.stripe, stripe],
    })}`,
  ];
  if (flags.demo) {
    lines.push(
      `  demo data:       ${seeded ? "seeded now" : "already there"}; member tokens (valid 30 days, for /v1/me/*):`,
    );
    for (const member of DEMO_MEMBERS) {
      const { token } = await app.auth.memberToken(member.id);
      lines.push(
        `    ${member.id.padEnd(14)} ${member.displayName}`,
        `      ${token}`,
        `      sign in: ${url}/?token=${token}`,
      );
    }
    lines.push(
      "  be the payment provider for a pending order (signed as Alipay, WeChat Pay, Stripe or Standard Webhooks sign):",
      "    npx perkwise simulate-payment alipay <orderId>      (or wechatpay, stripe, standard; --refund 5.00 refunds)",
    );
  }
  console.log(`${lines.join("\n")}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, "shutting down");
    await app.stop();
    await database.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

/** Each provider: configured from the environment, by the demo's generated keys, or not at all. */
function providerLine(providers: Record<string, [fromEnv: unknown, used: unknown]>): string {
  return Object.entries(providers)
    .map(
      ([name, [fromEnv, used]]) =>
        `${name} ${fromEnv ? "(environment)" : used ? "(demo keys)" : "(not configured)"}`,
    )
    .join(", ");
}

function secretLines(label: string, value: string, source: SecretSource): string[] {
  const { where, warning } = describeSecretSource(source);
  return [`  ${label} ${value}  ${where}`, ...(warning ? [`    warning: ${warning}`] : [])];
}
