import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../src/app.js";
import { ManualClock } from "../src/clock.js";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { DEMO_CATALOG } from "../src/demo/demo-catalog.js";
import { PAYMENT_SECRET } from "./e2e-harness.js";

const run = promisify(execFile);
const BIN = path.resolve("bin/perkwise.js");

/** `perkwise tickets [--breached] [--json]` on a PGlite data directory with two tickets, one breached. */
describe("perkwise tickets", () => {
  let dataDir: string;
  const perkwise = (...args: string[]) =>
    run("node", [BIN, ...args], {
      env: { ...process.env, PERKWISE_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" },
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "perkwise-tickets-"));
    const database = await openDatabase({ dataDir: path.join(dataDir, "data") });
    try {
      await migrateToLatest(database);
      // The first ticket was opened five days ago: its first response (8 business hours) is long missed.
      const clock = new ManualClock(Date.now() - 5 * 24 * 3600_000);
      const app = await startApp({
        database,
        clock,
        adminKey: "pwadmin_cli_tickets_0123456789",
        paymentSecret: PAYMENT_SECRET,
      });
      await app.catalog.put(DEMO_CATALOG);
      for (const id of ["cli-late", "cli-fresh"]) {
        await app.members.upsert({ id });
        const actor = { id: `member:${id}`, source: "member" as const, agent: null };
        await app.tickets.open(id, { expected: "an answer", actual: "none" }, actor, null);
        clock.set(Date.now());
      }
      await app.scheduler.runDue();
      await app.stop();
    } finally {
      await database.close();
    }
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("lists the queue soonest due first, only the breached with --breached, and JSON", async () => {
    const all = await perkwise("tickets");
    expect(all.stdout).toContain("2 ticket(s), soonest due first");
    expect(all.stdout.indexOf("cli-late")).toBeLessThan(all.stdout.indexOf("cli-fresh"));
    const breached = await perkwise("tickets", "--breached", "--json");
    const { tickets } = JSON.parse(breached.stdout);
    expect(tickets.map((t: { memberId: string }) => t.memberId)).toEqual(["cli-late"]);
    expect(tickets[0]).toMatchObject({ breached: true, level: 2 });
  }, 60_000);
});
