import { parseArgs } from "node:util";
import { DEFAULT_ROTATION_OVERLAP_MINUTES } from "../auth/auth-service.js";
import { rotateAdminKeyFile } from "../config.js";
import { seedDemo } from "../demo/seed-demo.js";
import { EngineInputError } from "../engine/engine-error.js";
import { AppError } from "../errors.js";
import { check } from "./check.js";
import { diagnoseCommand } from "./diagnose.js";
import { jobs } from "./jobs.js";
import { openConfigured } from "./open.js";
import { reconcile } from "./reconcile.js";
import { serve } from "./serve.js";
import { SIMULATED_PROVIDERS, type SimulatedProvider, simulatePayment } from "./simulate-payment.js";
import { ticketsCommand } from "./tickets.js";
import { timeline } from "./timeline.js";

const USAGE = `Usage: perkwise <command>

  serve [--memory] [--port N] [--demo]   start the HTTP server (npm start = serve --demo)
  migrate                                apply database migrations
  seed demo                              seed the demo catalog and members
  check <member> <benefit> [--context JSON] [--locale en|zh-CN]
                                         print a decision in words and as JSON (exit 1 when denied)
  timeline <member> [--json]             every event that touched the member, in order
  diagnose <member> <benefit> [--context JSON] [--order ID] [--locale en|zh-CN] [--json]
                                         why a benefit does not work: self-check steps, findings,
                                         evidence and fixes (exit 1 when it does not work)
  jobs [--all] [--json]                  due and failed scheduled jobs (--all: upcoming ones too)
  reconcile [--fix] [--json]             find drift between orders, payments, memberships and grants
                                         (dry run; --fix repairs it; exit 1 when drift remains)
  admin-key rotate [--overlap-minutes N] a new admin key in the data directory; the current one stays
                                         accepted for N minutes (default 60) after each node restarts
  simulate-payment <alipay|wechatpay|stripe|standard> <orderId> [--refund AMOUNT] [--url URL]
                                         be the payment provider for a demo order: sign its
                                         notification as the provider does and post it to the
                                         running server (PERKWISE_URL, default 127.0.0.1:PORT)
  tickets [--breached] [--json]          the support queue, soonest due first (--breached: missed a target)

Environment: PORT, HOST, DATABASE_URL (PostgreSQL; unset = embedded PGlite), PERKWISE_DATA_DIR,
PERKWISE_ADMIN_KEY, PERKWISE_PAYMENT_SECRET, PERKWISE_WEBHOOK_ALLOW_PRIVATE, LOG_LEVEL; the payment
providers' PERKWISE_ALIPAY_*, PERKWISE_WECHATPAY_* (docs/payments.md).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      memory: { type: "boolean" },
      demo: { type: "boolean" },
      port: { type: "string" },
      context: { type: "string" },
      locale: { type: "string" },
      json: { type: "boolean" },
      all: { type: "boolean" },
      order: { type: "string" },
      fix: { type: "boolean" },
      refund: { type: "string" },
      "overlap-minutes": { type: "string" },
      url: { type: "string" },
      breached: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case "serve": {
      const port = values.port === undefined ? undefined : Number(values.port);
      await serve({ memory: values.memory, demo: values.demo, port });
      return -1; // keeps running
    }
    case "migrate": {
      const { database, applied } = await openConfigured();
      await database.close();
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
      return 0;
    }
    case "seed": {
      if (rest[0] !== "demo") break;
      const { config, database } = await openConfigured();
      const seeded = await seedDemo({
        database,
        adminKey: config.adminKey,
        paymentSecret: config.paymentSecret,
        now: Date.now(),
      });
      await database.close();
      console.log(seeded ? "demo catalog and members seeded" : "demo data is already there");
      return 0;
    }
    case "check":
      if (rest.length !== 2) break;
      return check(rest[0], rest[1], values.context, values.locale);
    case "timeline":
      if (rest.length !== 1) break;
      return timeline(rest[0], values.json ?? false);
    case "diagnose":
      if (rest.length !== 2) break;
      return diagnoseCommand(rest[0], rest[1], {
        context: values.context,
        order: values.order,
        locale: values.locale,
        json: values.json ?? false,
      });
    case "jobs":
      if (rest.length !== 0) break;
      return jobs({ all: values.all ?? false, json: values.json ?? false });
    case "tickets":
      if (rest.length !== 0) break;
      return ticketsCommand({ breached: values.breached ?? false, json: values.json ?? false });
    case "reconcile":
      if (rest.length !== 0) break;
      return reconcile({ fix: values.fix ?? false, json: values.json ?? false });
    case "admin-key": {
      if (rest[0] !== "rotate" || rest.length !== 1) break;
      const overlap = Number(values["overlap-minutes"] ?? DEFAULT_ROTATION_OVERLAP_MINUTES);
      if (!Number.isInteger(overlap) || overlap < 0) break;
      const rotated = rotateAdminKeyFile(process.env, overlap, Date.now());
      console.log(
        [
          `new admin key: ${rotated.key}  (stored in ${rotated.dataDir}/admin-key)`,
          `the previous key stays accepted until ${rotated.previousValidUntil.toISOString()}, by every node started from this data directory;`,
          "restart the server to use the new key.",
        ].join("\n"),
      );
      return 0;
    }
    case "simulate-payment":
      if (rest.length !== 2 || !SIMULATED_PROVIDERS.includes(rest[0] as SimulatedProvider)) break;
      return simulatePayment(rest[0] as SimulatedProvider, rest[1], {
        refund: values.refund,
        url: values.url,
      });
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof AppError) console.error(`${error.code}: ${error.message}`);
    else if (error instanceof EngineInputError) console.error(`VALIDATION_FAILED: ${error.message}`);
    else console.error(error);
    // 1 is a negative answer (denied, not working, drift left); 2 means no answer could be given.
    process.exit(2);
  },
);
